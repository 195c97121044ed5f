import type { UserId } from "#core/auth/ids.ts";
import type { Db } from "#db/create-db.ts";
import type { Appeal } from "./reward.service.ts";
import type { RewardReason, RewardReasonCode, RewardStatus } from "./reward-types.ts";
import {
  findRewardRowById,
  findRewardRowByKey,
  findRewardRowsByIds,
  listOpenAppealRows,
  listUserRewardRows,
  type RewardRecordRow,
} from "./rewards.repository.ts";

/** A reward as its owner (or an admin deciding an appeal) sees it, with its appeal if any. */
export type RewardRecord = {
  id: bigint;
  userId: UserId;
  actionKind: string;
  status: RewardStatus;
  amount: bigint;
  memo: string;
  reason: RewardReason | null;
  holdUntil: Date | null;
  createdAt: Date;
  appeal: Appeal | null;
};

/** Which of a user's rewards to list: all of them, or those a user may want to act on. */
export type RewardFilter = "all" | "needs_attention";

function toRewardRecord(row: RewardRecordRow): RewardRecord {
  const userId = row.user_id as UserId;
  return {
    id: BigInt(row.id),
    userId,
    actionKind: row.action_kind,
    status: row.status,
    amount: BigInt(row.amount),
    memo: row.memo,
    reason:
      row.reason_code && row.reason
        ? { code: row.reason_code as RewardReasonCode, message: row.reason }
        : null,
    holdUntil: row.hold_until,
    createdAt: row.created_at,
    appeal:
      row.appeal_reward_id !== null && row.appeal_status !== null && row.appeal_created_at !== null
        ? {
            rewardId: BigInt(row.appeal_reward_id),
            userId,
            message: row.appeal_message ?? "",
            status: row.appeal_status,
            decisionReason: row.appeal_decision_reason,
            createdAt: row.appeal_created_at,
            decidedAt: row.appeal_decided_at,
          }
        : null,
  };
}

/**
 * A user's rewards, newest first, keyset-paginated on the reward id (`after` is the
 * last id seen). "needs_attention" keeps held and refused rewards and any that were appealed.
 */
export async function listRewards(
  db: Db,
  userId: UserId,
  page: { limit: number; after?: bigint | null; filter?: RewardFilter },
): Promise<RewardRecord[]> {
  const rows = await listUserRewardRows(db, userId, {
    limit: page.limit,
    after: page.after,
    isNeedingAttention: page.filter === "needs_attention",
  });
  return rows.map(toRewardRecord);
}

/** One reward by id, whoever owns it: callers check `userId` before showing it. */
export async function getReward(db: Db, rewardId: bigint): Promise<RewardRecord | null> {
  const row = await findRewardRowById(db, rewardId);
  return row ? toRewardRecord(row) : null;
}

/** Rewards in the order of `ids`, with null where one does not exist. */
export async function getRewardsByIds(
  db: Db,
  ids: readonly bigint[],
): Promise<(RewardRecord | null)[]> {
  if (ids.length === 0) return [];
  const rows = await findRewardRowsByIds(db, [...new Set(ids)]);
  const byId = new Map(rows.map((row) => [String(row.id), toRewardRecord(row)]));
  return ids.map((id) => byId.get(String(id)) ?? null);
}

/** The reward recorded under an idempotency key (e.g. today's check-in), if any. */
export async function getRewardByKey(db: Db, key: string): Promise<RewardRecord | null> {
  const row = await findRewardRowByKey(db, key);
  return row ? toRewardRecord(row) : null;
}

export type OpenAppeal = { reward: RewardRecord; appeal: Appeal; userHandle: string };

/** Appeals waiting for an admin, oldest first, keyset-paginated on the reward id. */
export async function listOpenAppeals(
  db: Db,
  page: { limit: number; after?: bigint | null },
): Promise<OpenAppeal[]> {
  const rows = await listOpenAppealRows(db, page);
  return rows.map((row) => {
    const reward = toRewardRecord(row);
    return { reward, appeal: reward.appeal!, userHandle: row.handle };
  });
}
