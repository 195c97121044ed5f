import type { UserId } from "#core/auth/ids.ts";
import { inRetryingTransaction, recordTransfers } from "#core/ledger/transfers.service.ts";
import { withoutControlCharacters } from "#core/plain-text.ts";
import { err, ok, type Result } from "#core/result.ts";
import { isRowId } from "#core/row-id.ts";
import type { RewardEvents } from "#core/rewards/reward-events.ts";
import {
  lockRewardById,
  markRewardReversed,
  markRewardReviewApproved,
} from "#core/rewards/rewards.repository.ts";
import { notifyRewardReviewed } from "#core/social/notifications.ts";
import type { Db } from "#db/create-db.ts";
import { APPEAL_REASON_MAX_LENGTH, APPEAL_REASON_MIN_LENGTH } from "#shared/text-limits.ts";
import {
  clearSignal,
  countQueue,
  findHeldRewardsWithoutOpenSignals,
  findOpenSignalsOfHeldRewards,
  findReviewDecisions,
  findSignalsOf,
  listQueueRows,
  returnToRuleHold,
  insertReviewDecision,
} from "./review-queue.repository.ts";
import { isSignalStillFiring, type RiskSignalCode } from "./risk-signals.ts";
import { readStandings } from "./risk-standing.repository.ts";

/** The words a reward carries once every signal that held it has cleared. */
export const CLEARED_WORDS =
  "Review cleared: nothing holds it any more; pending while it can still be undone.";

/**
 * The scheduled step of the review queue: looks again at every signal still open on a
 * held reward (up to `limit` rewards), clears those that no longer hold (the earner or the
 * engager activated, a ring opened up), and returns a reward with no open signal to its
 * rule's hold, which the release step then honours. Bursts and refused game runs stay open
 * until an admin decides: they happened, and a timer would only delay an attacker.
 * Returns how many rewards left the queue.
 */
export async function reevaluateHeldRewards(
  db: Db,
  now = new Date(),
  limit = 500,
): Promise<number> {
  const open = await findOpenSignalsOfHeldRewards(db, limit);
  const byReward = new Map<bigint, typeof open>();
  for (const row of open)
    byReward.set(row.reward_id, [...(byReward.get(row.reward_id) ?? []), row]);
  const earners = [...new Set(open.map((s) => s.user_id))];
  const ringEarners = [...new Set(open.filter((s) => s.code === "ring").map((s) => s.user_id))];
  const engagers = [...new Set(open.flatMap((s) => (s.engager_id ? [s.engager_id] : [])))];
  const standings = await readStandings(db, {
    full: [],
    ring: ringEarners,
    activationOnly: [...earners, ...engagers],
    now,
  });
  let released = 0;
  for (const [rewardId, signals] of byReward) {
    let remaining = signals.length;
    for (const signal of signals) {
      const earner = standings.get(signal.user_id);
      const engager = signal.engager_id ? standings.get(signal.engager_id) : undefined;
      const isFiring = isSignalStillFiring(signal.code as RiskSignalCode, {
        earnerActivated: earner?.activatedAt != null,
        engagerActivated: engager === undefined ? null : engager.activatedAt !== null,
        earnerRingMembers: earner?.ringMembers ?? null,
      });
      if (!isFiring) {
        await clearSignal(db, rewardId, signal.code, now);
        remaining -= 1;
      }
    }
    if (remaining === 0 && (await returnToRuleHold(db, rewardId, CLEARED_WORDS))) released += 1;
  }
  // A crash between clearing the last signal and the reward: finish it.
  for (const rewardId of await findHeldRewardsWithoutOpenSignals(db, limit)) {
    if (await returnToRuleHold(db, rewardId, CLEARED_WORDS)) released += 1;
  }
  return released;
}

export type QueueSignal = {
  code: string;
  message: string;
  engagerId: UserId | null;
  raisedAt: Date;
  clearedAt: Date | null;
};

export type QueuedReward = {
  rewardId: bigint;
  userId: UserId;
  handle: string;
  actionKind: string;
  memo: string;
  amount: bigint;
  createdAt: Date;
  holdUntil: Date | null;
  /** Every signal raised on it, open ones (clearedAt null) and cleared ones. */
  signals: QueueSignal[];
};

/** The signals a reward carried, in the order raised (the wallet shows them; both doors). */
export async function getRewardSignals(
  db: Db,
  rewardIds: readonly bigint[],
): Promise<Map<bigint, QueueSignal[]>> {
  const rows = await findSignalsOf(db, rewardIds);
  const byReward = new Map<bigint, QueueSignal[]>();
  for (const row of rows) {
    const id = BigInt(row.reward_id);
    byReward.set(id, [
      ...(byReward.get(id) ?? []),
      {
        code: row.code,
        message: row.message,
        engagerId: row.engager_id as UserId | null,
        raisedAt: row.raised_at,
        clearedAt: row.cleared_at,
      },
    ]);
  }
  return byReward;
}

/** The review queue, oldest first: rewards held because a signal fired, with their signals. */
export async function listReviewQueue(
  db: Db,
  page: { limit: number; after?: bigint | null },
): Promise<{ items: QueuedReward[]; total: number; nextAfter: bigint | null }> {
  const rows = await listQueueRows(db, { limit: page.limit + 1, after: page.after ?? null });
  const shown = rows.slice(0, page.limit);
  const [signals, total] = await Promise.all([
    getRewardSignals(
      db,
      shown.map((r) => BigInt(r.id)),
    ),
    countQueue(db),
  ]);
  const items = shown.map((r): QueuedReward => ({
    rewardId: BigInt(r.id),
    userId: r.user_id as UserId,
    handle: r.handle,
    actionKind: r.action_kind,
    memo: r.memo,
    amount: BigInt(r.amount),
    createdAt: r.created_at,
    holdUntil: r.hold_until,
    signals: signals.get(BigInt(r.id)) ?? [],
  }));
  return {
    items,
    total,
    nextAfter: rows.length > page.limit ? (items.at(-1)?.rewardId ?? null) : null,
  };
}

export type ReviewDecision = {
  rewardId: bigint;
  decision: "approved" | "reversed";
  reason: string;
  decidedBy: UserId;
  decidedAt: Date;
};

export type ReviewFailure =
  | { code: "not_found"; message: string }
  | { code: "not_in_queue"; message: string }
  | { code: "invalid_reason"; message: string };

/** The recorded decisions on these rewards, by reward id. */
export async function getReviewDecisions(
  db: Db,
  rewardIds: readonly bigint[],
): Promise<Map<bigint, ReviewDecision>> {
  const rows = await findReviewDecisions(db, rewardIds);
  return new Map(
    rows.map((row) => [
      BigInt(row.reward_id),
      {
        rewardId: BigInt(row.reward_id),
        decision: row.decision,
        reason: row.reason,
        decidedBy: row.decided_by as UserId,
        decidedAt: row.decided_at,
      },
    ]),
  );
}

/**
 * An admin works the queue: approves a held reward (released now) or reverses it, with a
 * reason the user reads. The decision is recorded (who, when, why) with the reward's change
 * in one transaction, and the user is notified after it commits. Only a reward still held
 * for review can be decided, once.
 */
export async function decideHeldReward(
  deps: { db: Db; rewardEvents: RewardEvents },
  adminId: UserId,
  rewardId: bigint,
  decision: { approve: boolean; reason: string },
  now = new Date(),
): Promise<Result<ReviewDecision, ReviewFailure>> {
  const reason = withoutControlCharacters(decision.reason).trim();
  if (reason.length < APPEAL_REASON_MIN_LENGTH || reason.length > APPEAL_REASON_MAX_LENGTH) {
    return err({
      code: "invalid_reason",
      message: `Give the reason for the decision in ${APPEAL_REASON_MIN_LENGTH}–${APPEAL_REASON_MAX_LENGTH} characters.`,
    });
  }
  const result = await inRetryingTransaction(
    deps.db,
    async (trx): Promise<Result<{ decided: ReviewDecision; userId: UserId }, ReviewFailure>> => {
      const reward = isRowId(rewardId) ? await lockRewardById(trx, rewardId) : undefined;
      if (!reward) return err({ code: "not_found", message: "No such reward." });
      if (reward.status !== "held" || reward.reason_code !== "risk_review") {
        return err({
          code: "not_in_queue",
          message: "This reward is no longer waiting for review (decided, released or reversed).",
        });
      }
      if (decision.approve) {
        await recordTransfers(trx, [
          {
            phase: "post",
            key: `release:${reward.id}`,
            pendingId: BigInt(reward.transfer_id!),
            kind: "reward_release",
          },
        ]);
        await markRewardReviewApproved(trx, BigInt(reward.id), `Approved by review: ${reason}`);
      } else {
        await recordTransfers(trx, [
          {
            phase: "void",
            key: `reverse:${reward.id}`,
            pendingId: BigInt(reward.transfer_id!),
            kind: "reward_reversal",
          },
        ]);
        await markRewardReversed(trx, BigInt(reward.id), {
          code: "admin_reversed",
          message: `Reversed by review: ${reason}`,
        });
      }
      const row = await insertReviewDecision(trx, {
        rewardId,
        decision: decision.approve ? "approved" : "reversed",
        reason,
        adminId,
        at: now,
      });
      return ok({
        userId: reward.user_id as UserId,
        decided: {
          rewardId,
          decision: row.decision,
          reason: row.reason,
          decidedBy: row.decided_by as UserId,
          decidedAt: row.decided_at,
        },
      });
    },
  );
  if (!result.ok) return result;
  await notifyRewardReviewed(deps, { userId: result.value.userId, adminId, rewardId });
  return ok(result.value.decided);
}
