import { sql } from "kysely";
import type { UserId } from "#core/auth/ids.ts";
import type { Db } from "#db/create-db.ts";
import type { RecordedReward } from "./decide-rewards.ts";

/** A row of `rewards` as `select *` returns it. */
export type RewardRow = RecordedReward & {
  transfer_id: bigint | null;
  budget_id: string | null;
};

export async function lockRewardByKey(trx: Db, key: string): Promise<RewardRow | undefined> {
  const { rows } = await sql<RewardRow>`
    select * from rewards where idempotency_key = ${key} for update`.execute(trx);
  return rows[0];
}

export async function lockRewardById(trx: Db, rewardId: bigint): Promise<RewardRow | undefined> {
  const { rows } = await sql<RewardRow>`
    select * from rewards where id = ${String(rewardId)}::bigint for update`.execute(trx);
  return rows[0];
}

/** Marks a reward reversed, with the reason the user reads. */
export async function markRewardReversed(
  trx: Db,
  rewardId: bigint,
  reason: { code: string; message: string },
): Promise<RewardRow> {
  const { rows } = await sql<RewardRow>`
    update rewards set status = 'reversed', reason_code = ${reason.code}, reason = ${reason.message}
    where id = ${String(rewardId)}::bigint returning *`.execute(trx);
  return rows[0]!;
}

/**
 * Locks up to `limit` held rewards whose hold ended by `now`, oldest first, skipping
 * those another instance is releasing. Rewards held for review wait for their signals to
 * clear (or an admin), never for a timer.
 */
export async function claimMaturedRewards(trx: Db, now: Date, limit: number): Promise<RewardRow[]> {
  const { rows } = await sql<RewardRow>`
    select * from rewards
    where status = 'held' and hold_until <= ${now.toISOString()}::timestamptz
      and reason_code is distinct from 'risk_review'
    order by hold_until, id
    limit ${limit}
    for update skip locked`.execute(trx);
  return rows;
}

export async function markRewardsReleased(
  trx: Db,
  rewardIds: readonly bigint[],
): Promise<RewardRow[]> {
  const { rows } = await sql<RewardRow>`
    -- A reduced share stays explained once paid; a hold's words no longer apply.
    update rewards set status = 'available',
      reason_code = case when reason_code = 'reduced_share' then reason_code end,
      reason = case when reason_code = 'reduced_share' then reason end
    where id = any(${sql.val(rewardIds.map((id) => String(id)))}::bigint[])
    returning *`.execute(trx);
  return rows;
}

export function findRewardOwnerAndStatus(db: Db, rewardId: bigint) {
  return db
    .selectFrom("rewards")
    .select(["id", "user_id", "status"])
    .where("id", "=", rewardId)
    .executeTakeFirst();
}

/** An approved appeal makes the reward available, with the admin's reason (and its new transfer when it was refused). */
export async function markRewardAppealApproved(
  trx: Db,
  rewardId: bigint,
  change: { reason: string; transferId?: bigint },
): Promise<void> {
  await trx
    .updateTable("rewards")
    .set({
      status: "available",
      reason_code: "appeal_approved",
      reason: change.reason,
      ...(change.transferId !== undefined ? { transfer_id: change.transferId } : {}),
    })
    .where("id", "=", rewardId)
    .execute();
}

/** A review approved a held reward: available now, with the reviewer's words. */
export async function markRewardReviewApproved(
  trx: Db,
  rewardId: bigint,
  message: string,
): Promise<RewardRow> {
  const { rows } = await sql<RewardRow>`
    update rewards set status = 'available', reason_code = 'review_approved', reason = ${message}
    where id = ${String(rewardId)}::bigint returning *`.execute(trx);
  return rows[0]!;
}

function selectRewardRecords(db: Db) {
  return db
    .selectFrom("rewards as r")
    .leftJoin("reward_appeals as a", "a.reward_id", "r.id")
    .select([
      "r.id",
      "r.user_id",
      "r.action_kind",
      "r.status",
      "r.amount",
      "r.memo",
      "r.reason_code",
      "r.reason",
      "r.hold_until",
      "r.created_at",
      "a.reward_id as appeal_reward_id",
      "a.status as appeal_status",
      "a.message as appeal_message",
      "a.decision_reason as appeal_decision_reason",
      "a.created_at as appeal_created_at",
      "a.decided_at as appeal_decided_at",
    ]);
}

/** A reward joined with its appeal, if any. */
export type RewardRecordRow = Awaited<
  ReturnType<ReturnType<typeof selectRewardRecords>["execute"]>
>[number];

export function listUserRewardRows(
  db: Db,
  userId: UserId,
  page: { limit: number; after?: bigint | null; isNeedingAttention: boolean },
): Promise<RewardRecordRow[]> {
  return selectRewardRecords(db)
    .where("r.user_id", "=", userId)
    .$if(page.after != null, (qb) => qb.where("r.id", "<", page.after!))
    .$if(page.isNeedingAttention, (qb) =>
      qb.where((eb) =>
        eb.or([eb("r.status", "in", ["held", "refused"]), eb("a.reward_id", "is not", null)]),
      ),
    )
    .orderBy("r.id", "desc")
    .limit(page.limit)
    .execute();
}

export function findRewardRowById(db: Db, rewardId: bigint) {
  return selectRewardRecords(db).where("r.id", "=", rewardId).executeTakeFirst();
}

export function findRewardRowsByIds(db: Db, rewardIds: readonly bigint[]) {
  return selectRewardRecords(db)
    .where("r.id", "in", [...rewardIds])
    .execute();
}

export function findRewardRowByKey(db: Db, key: string) {
  return selectRewardRecords(db).where("r.idempotency_key", "=", key).executeTakeFirst();
}

export function listOpenAppealRows(db: Db, page: { limit: number; after?: bigint | null }) {
  return selectRewardRecords(db)
    .innerJoin("users as u", "u.id", "r.user_id")
    .select("u.handle")
    .where("a.status", "=", "open")
    .$if(page.after != null, (qb) => qb.where("r.id", ">", page.after!))
    .orderBy("r.id", "asc")
    .limit(page.limit)
    .execute();
}
