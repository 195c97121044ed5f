import { sql, type RawBuilder } from "kysely";
import type { UserId } from "#core/auth/ids.ts";
import type { Db } from "#db/create-db.ts";
import { DEFAULT_XP, xpByFamily, xpByKind } from "./xp-table.ts";

/** The XP table as SQL, for sums over reward rows: `xpSql(sql.ref("action_kind"))`. */
export function xpSql(kind: RawBuilder<unknown>): RawBuilder<number> {
  // Literals, not parameters: the table is code, and one statement may use it twice.
  const exact = Object.entries(xpByKind).map(
    ([k, xp]) => sql`when ${sql.lit(k)} then ${sql.lit(xp)}`,
  );
  const family = Object.entries(xpByFamily).map(
    ([f, xp]) => sql`when ${sql.lit(f)} then ${sql.lit(xp)}`,
  );
  return sql<number>`(case ${kind} ${sql.join(exact, sql` `)} else
    (case split_part(${kind}, '.', 1) ${sql.join(family, sql` `)} else ${sql.lit(DEFAULT_XP)} end) end)`;
}

/** `v` is the total as text: XP, or MICRO base units. */
export type RankingRow = { user_id: UserId; v: string; rank: number; is_viewer: boolean };

/**
 * Each visible person's XP or MICRO earned in the range, ranked: the top `limit` ranks
 * plus the viewer's own row. The earners board keeps only people who show their earnings
 * (and the viewer).
 */
export async function readRankingRows(
  db: Db,
  board: {
    kind: "xp" | "earned";
    /** The range as UTC days (YYYY-MM-DD, end exclusive), for the folded daily totals. */
    fromDay: string;
    toDay: string;
    startsAt: Date;
    endsAt: Date;
    viewerId: UserId | null;
    limit: number;
  },
): Promise<RankingRow[]> {
  const { kind, fromDay, toDay, viewerId, limit } = board;
  // What each source adds up: XP or MICRO, from the folded days, the rewards not folded
  // yet, and the status changes not applied yet.
  const folded = kind === "xp" ? sql`xp` : sql`earned`;
  const fresh = kind === "xp" ? xpSql(sql`action_kind`) : sql`amount`;
  const { rows } = await sql<RankingRow>`
    with mark as (select through_reward_id as w from gamification_fold where id = 1),
    totals as (
      select user_id, sum(v) as v from (
        select user_id, ${folded} as v
        from user_activity where day >= ${fromDay}::date and day < ${toDay}::date
        union all
        select user_id, ${fresh}
        from rewards, mark
        where id > mark.w and status in ('held', 'available')
          and created_at >= ${board.startsAt} and created_at < ${board.endsAt}
        union all
        select user_id, direction * ${fresh}
        from gamification_fold_changes where day >= ${fromDay}::date and day < ${toDay}::date
      ) as t group by user_id
    ),
    ranked as (
      select t.user_id, t.v, rank() over (order by t.v desc)::int as rank
      from totals t join users u on u.id = t.user_id
      where t.v > 0 and u.hidden_at is null
        ${kind === "earned" ? sql`and (u.shows_earnings or u.id = ${viewerId}::uuid)` : sql``}
    )
    select user_id, v::text as v, rank, coalesce(user_id = ${viewerId}::uuid, false) as is_viewer
    from ranked
    where rank <= ${limit} or user_id = ${viewerId}::uuid
    order by rank, user_id`.execute(db);
  return rows;
}
