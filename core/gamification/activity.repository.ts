import { sql } from "kysely";
import type { UserId } from "#core/auth/ids.ts";
import type { Db } from "#db/create-db.ts";
import { ownKinds, XP_TABLE_VERSION, xpFor } from "./xp-table.ts";

/**
 * The folded view of the rewards table: per user, per UTC day and per action kind, how
 * many rewarded actions counted (held or available), the XP they earned and what they
 * paid; and per user the running XP and action totals.
 *
 * The engine only ever inserts rewards, in increasing id order — but ids are taken when
 * a row is written and become visible when its transaction commits, so the newest ids
 * can still have gaps that fill in a moment later. A fold therefore only reads rewards up
 * to an id it saw at least `lagMs` ago (the candidate), and every read of one person's
 * figures adds the rows past the folded mark ("the tail") straight from the rewards
 * table, plus any status changes of folded rows not yet applied. Reads are exact; the
 * fold just keeps them short.
 */

/** How far behind the newest reward a fold stays (engine transactions last milliseconds). */
export const DEFAULT_FOLD_LAG_MS = 10_000;
const DEFAULT_FOLD_ROWS = 5_000;

export type FoldOptions = {
  /** How old a reward id must be before it is folded; 0 folds everything committed (tests, tools). */
  lagMs?: number;
  /** Most reward rows read by one fold. */
  maxRows?: number;
  /** Wait for a fold in progress instead of skipping (reads are exact either way). */
  shouldWait?: boolean;
};

export type FoldResult = {
  /** False when another fold held the lock and this one did nothing. */
  didRun: boolean;
  rewardsFolded: number;
  changesApplied: number;
  touchedUserIds: UserId[];
  /** True when nothing older than the lag is left to fold. */
  isCaughtUp: boolean;
};

type FoldState = {
  through: bigint;
  candidate: bigint;
  candidate_seen_at: Date;
  xp_table_version: number;
  db_now: Date;
};

type Delta = { actions: number; xp: number; earned: bigint };

/** Folds the next rewards into the per-day totals, and applies noted status changes. */
export async function foldRewards(db: Db, options: FoldOptions = {}): Promise<FoldResult> {
  const lagMs = options.lagMs ?? DEFAULT_FOLD_LAG_MS;
  const maxRows = options.maxRows ?? DEFAULT_FOLD_ROWS;
  return db.transaction().execute(async (trx): Promise<FoldResult> => {
    const { rows: states } = await sql<FoldState>`
      select through_reward_id as through, candidate_reward_id as candidate, candidate_seen_at,
             xp_table_version, now() as db_now
      from gamification_fold where id = 1
      for update ${options.shouldWait ? sql`` : sql`skip locked`}`.execute(trx);
    const state = states[0];
    if (!state) {
      return {
        didRun: false,
        rewardsFolded: 0,
        changesApplied: 0,
        touchedUserIds: [],
        isCaughtUp: false,
      };
    }
    let through = BigInt(state.through);
    let candidate = BigInt(state.candidate);
    let candidateSeenAt = state.candidate_seen_at;
    if (state.xp_table_version !== XP_TABLE_VERSION) {
      // The XP table changed: recompute every total from the rewards themselves. The old
      // mark is known to be safe, so the refold may go straight back up to it.
      await sql`delete from user_activity`.execute(trx);
      await sql`update user_progress set xp = 0, actions = 0`.execute(trx);
      await sql`delete from gamification_fold_changes`.execute(trx);
      candidate = through;
      candidateSeenAt = new Date(0);
      through = 0n;
    }

    const dbNow = state.db_now;
    let target = through;
    if (lagMs <= 0) {
      target = await newestRewardId(trx);
    } else if (candidate > through && candidateSeenAt.getTime() <= dbNow.getTime() - lagMs) {
      target = candidate;
    }

    const activity = new Map<string, Delta>();
    const progress = new Map<string, { xp: number; actions: number }>();
    const add = (userId: string, day: string, kind: string, direction: number, amount: bigint) => {
      const key = `${userId}|${day}|${kind}`;
      const xp = direction * xpFor(kind);
      const a = activity.get(key) ?? { actions: 0, xp: 0, earned: 0n };
      a.actions += direction;
      a.xp += xp;
      a.earned += BigInt(direction) * amount;
      activity.set(key, a);
      const p = progress.get(userId) ?? { xp: 0, actions: 0 };
      p.xp += xp;
      if (!ownKinds.includes(kind)) p.actions += direction;
      progress.set(userId, p);
    };

    let rewardsFolded = 0;
    if (target > through) {
      const { rows } = await sql<{
        id: bigint;
        user_id: string;
        action_kind: string;
        amount: string;
        day: string;
      }>`
        select id, user_id, action_kind, amount, (created_at at time zone 'UTC')::date::text as day
        from rewards
        where id > ${String(through)}::bigint and id <= ${String(target)}::bigint
          and status in ('held', 'available')
        order by id
        limit ${maxRows}`.execute(trx);
      for (const row of rows) add(row.user_id, row.day, row.action_kind, 1, BigInt(row.amount));
      rewardsFolded = rows.length;
      through = rows.length === maxRows ? BigInt(rows.at(-1)!.id) : target;
    }

    // Status changes of rewards folded earlier (a reversal, an approved appeal).
    const { rows: changes } = await sql<{
      user_id: string;
      action_kind: string;
      day: string;
      amount: string;
      direction: number;
    }>`
      delete from gamification_fold_changes
      returning user_id, action_kind, day::text as day, amount, direction`.execute(trx);
    for (const c of changes) add(c.user_id, c.day, c.action_kind, c.direction, BigInt(c.amount));

    if (activity.size > 0) {
      const entries = [...activity.entries()].sort(([x], [y]) => (x < y ? -1 : 1));
      const parts = entries.map(([key]) => key.split("|") as [string, string, string]);
      await sql`
        insert into user_activity (user_id, day, action_kind, actions, xp, earned)
        select * from unnest(
          ${sql.val(parts.map((p) => p[0]))}::uuid[],
          ${sql.val(parts.map((p) => p[1]))}::date[],
          ${sql.val(parts.map((p) => p[2]))}::text[],
          ${sql.val(entries.map(([, d]) => d.actions))}::int[],
          ${sql.val(entries.map(([, d]) => String(d.xp)))}::bigint[],
          ${sql.val(entries.map(([, d]) => d.earned.toString()))}::numeric[])
        on conflict (user_id, day, action_kind) do update set
          actions = user_activity.actions + excluded.actions,
          xp = user_activity.xp + excluded.xp,
          earned = user_activity.earned + excluded.earned`.execute(trx);
      const users = [...progress.entries()].sort(([x], [y]) => (x < y ? -1 : 1));
      await sql`
        insert into user_progress (user_id, xp, actions)
        select * from unnest(
          ${sql.val(users.map(([id]) => id))}::uuid[],
          ${sql.val(users.map(([, p]) => String(p.xp)))}::bigint[],
          ${sql.val(users.map(([, p]) => String(p.actions)))}::bigint[])
        on conflict (user_id) do update set
          xp = user_progress.xp + excluded.xp,
          actions = user_progress.actions + excluded.actions,
          updated_at = now()`.execute(trx);
    }

    // Caught up with the candidate: the newest id now becomes the next one to wait for.
    if (through >= candidate) {
      candidate = lagMs <= 0 ? through : await newestRewardId(trx);
      candidateSeenAt = dbNow;
    }
    await sql`
      update gamification_fold set
        through_reward_id = ${String(through)}::bigint,
        candidate_reward_id = ${String(candidate)}::bigint,
        candidate_seen_at = ${candidateSeenAt.toISOString()}::timestamptz,
        xp_table_version = ${XP_TABLE_VERSION},
        folded_at = ${dbNow.toISOString()}::timestamptz
      where id = 1`.execute(trx);
    return {
      didRun: true,
      rewardsFolded,
      changesApplied: changes.length,
      touchedUserIds: [...progress.keys()] as UserId[],
      isCaughtUp: through >= target,
    };
  });
}

async function newestRewardId(db: Db): Promise<bigint> {
  const { rows } = await sql<{ id: bigint | null }>`select max(id) as id from rewards`.execute(db);
  return rows[0]?.id == null ? 0n : BigInt(rows[0].id);
}

/** Folds until nothing old enough is left (a scheduler's step, or a tool after a deploy). */
export async function foldAllRewards(db: Db, options: FoldOptions = {}): Promise<UserId[]> {
  const touched = new Set<UserId>();
  for (let i = 0; i < 10_000; i++) {
    const result = await foldRewards(db, { ...options, shouldWait: true });
    for (const id of result.touchedUserIds) touched.add(id);
    if (result.isCaughtUp || (result.rewardsFolded === 0 && result.changesApplied === 0)) break;
  }
  return [...touched];
}

/** Rewards that count: held or available (refused and reversed ones do not). */
const countedStatus = sql`status in ('held', 'available')`;

export type UserTotals = {
  xp: number;
  actions: number;
  /** The trust level last recorded, and when (null: never evaluated). */
  trustLevel: number;
  trustEvaluatedAt: Date | null;
};

/** One person's XP and rewarded actions, exact, in one statement (one snapshot). */
export async function readUserTotals(db: Db, userId: UserId): Promise<UserTotals> {
  const { rows } = await sql<{
    xp: bigint | null;
    actions: bigint | null;
    trust_level: number | null;
    trust_evaluated_at: Date | null;
    extra: { kind: string; n: number }[] | null;
  }>`
    with mark as (select through_reward_id as w from gamification_fold where id = 1),
    extra as (
      select action_kind as kind, count(*)::int as n
      from rewards, mark
      where user_id = ${userId} and id > mark.w and ${countedStatus}
      group by action_kind
      union all
      select action_kind, sum(direction)::int
      from gamification_fold_changes where user_id = ${userId}
      group by action_kind
    )
    select p.xp, p.actions, p.trust_level, p.trust_evaluated_at,
      (select json_agg(json_build_object('kind', kind, 'n', n)) from extra) as extra
    from (select 1) as one
    left join user_progress p on p.user_id = ${userId}`.execute(db);
  const row = rows[0]!;
  let xp = Number(row.xp ?? 0n);
  let actions = Number(row.actions ?? 0n);
  for (const { kind, n } of row.extra ?? []) {
    xp += n * xpFor(kind);
    if (!ownKinds.includes(kind)) actions += n;
  }
  return {
    xp,
    actions,
    trustLevel: row.trust_level ?? 0,
    trustEvaluatedAt: row.trust_evaluated_at ?? null,
  };
}

export type ActivityRow = {
  /** The UTC day, "YYYY-MM-DD". */
  day: string;
  actionKind: string;
  actions: number;
  xp: number;
  earned: bigint;
};

/** One person's counted actions per day and kind since `sinceDay` (inclusive), exact. */
export async function readUserActivity(
  db: Db,
  userId: UserId,
  sinceDay: string,
): Promise<ActivityRow[]> {
  const { rows } = await sql<{ day: string; kind: string; actions: number; earned: string }>`
    with mark as (select through_reward_id as w from gamification_fold where id = 1)
    select day, kind, sum(actions)::int as actions, sum(earned)::text as earned
    from (
      select day::text as day, action_kind as kind, actions, earned
      from user_activity
      where user_id = ${userId} and day >= ${sinceDay}::date
      union all
      select (created_at at time zone 'UTC')::date::text, action_kind, 1, amount
      from rewards, mark
      where user_id = ${userId} and id > mark.w and ${countedStatus}
        and created_at >= (${sinceDay}::date::timestamp at time zone 'UTC')
      union all
      select day::text, action_kind, direction, direction * amount
      from gamification_fold_changes
      where user_id = ${userId} and day >= ${sinceDay}::date
    ) as a
    group by day, kind
    having sum(actions) > 0
    order by day, kind`.execute(db);
  return rows.map((r) => ({
    day: r.day,
    actionKind: r.kind,
    actions: r.actions,
    xp: r.actions * xpFor(r.kind),
    earned: BigInt(r.earned),
  }));
}

/** Distinct UTC days on which the person did anything rewarded (this layer's bonuses aside). */
export async function countActiveDays(
  db: Db,
  userId: UserId,
  sinceDay: string | null = null,
): Promise<number> {
  const since = sinceDay ?? "1970-01-01";
  const rows = await readUserActivity(db, userId, since);
  return new Set(rows.filter((r) => !ownKinds.includes(r.actionKind)).map((r) => r.day)).size;
}

/**
 * One person's XP recomputed from the rewards table alone: the truth the folded totals
 * must always equal (tests and checks compare the two).
 */
export async function recomputeXpFromRewards(db: Db, userId: UserId): Promise<number> {
  const { rows } = await sql<{ kind: string; n: number }>`
    select action_kind as kind, count(*)::int as n from rewards
    where user_id = ${userId} and ${countedStatus}
    group by action_kind`.execute(db);
  return rows.reduce((sum, r) => sum + r.n * xpFor(r.kind), 0);
}

/**
 * People with rewarded activity since `sinceDay` (the fold stays a little behind the
 * newest rewards: those count as activity too), hidden people included.
 */
export async function readActiveUserIds(
  db: Db,
  sinceDay: string,
  limit: number,
): Promise<UserId[]> {
  const { rows } = await sql<{ user_id: UserId }>`
    with mark as (select through_reward_id as w from gamification_fold where id = 1),
    active as (
      select user_id from user_activity where day >= ${sinceDay}::date
      union
      select r.user_id from rewards r, mark
      where r.id > mark.w and r.status in ('held', 'available')
        and r.created_at >= (${sinceDay}::date::timestamp at time zone 'UTC')
    )
    select a.user_id from active a join users u on u.id = a.user_id
    limit ${limit}`.execute(db);
  return rows.map((r) => r.user_id);
}

/**
 * One person's rewarded actions from `sinceDay` (inclusive) to `untilDay` (exclusive) still
 * held for review by a risk signal, by kind: released only when the signal clears or an
 * admin decides, and reversible until then, however long that takes.
 */
export async function countActionsUnderReview(
  db: Db,
  userId: UserId,
  sinceDay: string,
  untilDay: string,
): Promise<Map<string, number>> {
  const { rows } = await sql<{ kind: string; n: number }>`
    select action_kind as kind, count(*)::int as n from rewards
    where user_id = ${userId} and status = 'held' and reason_code = 'risk_review'
      and created_at >= (${sinceDay}::date::timestamp at time zone 'UTC')
      and created_at < (${untilDay}::date::timestamp at time zone 'UTC')
    group by action_kind`.execute(db);
  return new Map(rows.map((r) => [r.kind, r.n]));
}
