import { sql } from "kysely";
import type { UserId } from "#core/auth/ids.ts";
import type { Db } from "#db/create-db.ts";
import type { AppealRow } from "./reward-appeals.repository.ts";

/** One (status, reason) group of a user's held or refused rewards, summed up in SQL. */
export type HeldGroupRow = {
  status: "held" | "refused";
  /** The reward's reason code, or "none" when it has none. */
  reason_code: string;
  count: number;
  total: string;
  earliest_release: Date | null;
  latest_at: Date;
  unappealed: number;
  open_appeals: number;
  denied_appeals: number;
  /** The newest appeal's message in the group, if any reward in it was appealed. */
  latest_appeal_message: string | null;
  /** The newest denial's reason in the group, if any. */
  latest_denial_reason: string | null;
  /** The newest reward's reason in words. */
  latest_reason: string | null;
};

/** Every held and refused reward of the user, one row per (status, reason code). */
export async function listHeldGroupRows(db: Db, userId: UserId): Promise<HeldGroupRow[]> {
  const { rows } = await sql<HeldGroupRow>`
    select r.status, coalesce(r.reason_code, 'none') as reason_code,
           count(*)::int as count, sum(r.amount)::text as total,
           min(r.hold_until) as earliest_release, max(r.created_at) as latest_at,
           (count(*) filter (where a.reward_id is null))::int as unappealed,
           (count(*) filter (where a.status = 'open'))::int as open_appeals,
           (count(*) filter (where a.status = 'denied'))::int as denied_appeals,
           (array_agg(a.message order by a.created_at desc, r.id desc)
              filter (where a.reward_id is not null))[1] as latest_appeal_message,
           (array_agg(a.decision_reason order by a.decided_at desc, r.id desc)
              filter (where a.status = 'denied'))[1] as latest_denial_reason,
           (array_agg(r.reason order by r.id desc))[1] as latest_reason
    from rewards r
    left join reward_appeals a on a.reward_id = r.id
    where r.user_id = ${userId}::uuid and r.status in ('held', 'refused')
    group by r.status, coalesce(r.reason_code, 'none')`.execute(db);
  return rows;
}

/** The ids of the newest `perGroup` rewards of each held/refused group, newest first. */
export async function listNewestHeldRewardIds(
  db: Db,
  userId: UserId,
  perGroup: number,
): Promise<bigint[]> {
  const { rows } = await sql<{ id: string }>`
    select id from (
      select r.id, row_number() over (
        partition by r.status, coalesce(r.reason_code, 'none') order by r.id desc) as place
      from rewards r
      where r.user_id = ${userId}::uuid and r.status in ('held', 'refused')
    ) newest
    where place <= ${perGroup}
    order by id desc`.execute(db);
  return rows.map((row) => BigInt(row.id));
}

/** Whether the user has any reward in the group at all (appealed or not). */
export async function hasHeldGroup(
  db: Db,
  userId: UserId,
  group: { status: "held" | "refused"; reasonCode: string },
): Promise<boolean> {
  const { rows } = await sql<{ found: number }>`
    select 1 as found from rewards
    where user_id = ${userId}::uuid and status = ${group.status}
      and coalesce(reason_code, 'none') = ${group.reasonCode}
    limit 1`.execute(db);
  return rows.length > 0;
}

/**
 * Opens an appeal, with one message, for every reward of the group that has none yet:
 * the rewards are locked first, so one that is released or decided meanwhile is left
 * out, and a reward appealed by a racing request keeps that appeal (on conflict).
 */
export async function insertGroupAppeals(
  trx: Db,
  appeal: {
    userId: UserId;
    status: "held" | "refused";
    reasonCode: string;
    message: string;
  },
): Promise<AppealRow[]> {
  const { rows } = await sql<AppealRow>`
    with picked as (
      select r.id from rewards r
      where r.user_id = ${appeal.userId}::uuid and r.status = ${appeal.status}
        and coalesce(r.reason_code, 'none') = ${appeal.reasonCode}
        and not exists (select 1 from reward_appeals a where a.reward_id = r.id)
      for update of r
    )
    insert into reward_appeals (reward_id, user_id, message, status)
    select id, ${appeal.userId}::uuid, ${appeal.message}, 'open' from picked
    on conflict (reward_id) do nothing
    returning *`.execute(trx);
  return rows;
}

/** Decided appeals of the last `days` days, one row per (outcome, reason), newest first. */
export type DecidedAppealRow = {
  status: "approved" | "denied";
  decision_reason: string | null;
  count: number;
  total: string;
  decided_at: Date;
};

export async function listDecidedAppealRows(
  db: Db,
  userId: UserId,
  page: { since: Date; limit: number },
): Promise<DecidedAppealRow[]> {
  const { rows } = await sql<DecidedAppealRow>`
    select a.status, a.decision_reason, count(*)::int as count, sum(r.amount)::text as total,
           max(a.decided_at) as decided_at
    from reward_appeals a
    join rewards r on r.id = a.reward_id
    where a.user_id = ${userId}::uuid and a.status in ('approved', 'denied')
      and a.decided_at >= ${page.since.toISOString()}::timestamptz
    group by a.status, a.decision_reason
    order by max(a.decided_at) desc
    limit ${page.limit}`.execute(db);
  return rows;
}
