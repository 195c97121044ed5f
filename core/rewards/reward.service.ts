import type { UserId } from "#core/auth/ids.ts";
import {
  budgetAccount,
  ensureAccounts,
  lockAccounts,
  mintAccount,
  spendable,
  userWalletAccount,
} from "#core/ledger/accounts.repository.ts";
import { asTransferAmount } from "#core/ledger/amount.ts";
import { inRetryingTransaction, recordTransfers } from "#core/ledger/transfers.service.ts";
import { withoutControlCharacters } from "#core/plain-text.ts";
import { err, ok, type Result } from "#core/result.ts";
import { isRowId } from "#core/row-id.ts";
import {
  publishNotifications,
  recordAppealDecided,
  type RecordedNotifications,
} from "#core/social/notifications.ts";
import type { Db } from "#db/create-db.ts";
import { outcomeFromRow } from "./decide-rewards.ts";
import {
  insertAppeal,
  lockAppeal,
  recordAppealDecision,
  type AppealRow,
} from "./reward-appeals.repository.ts";
import {
  findBudgets,
  findRules,
  insertBudget,
  listRules,
  updateRule,
  type RewardRule,
  type RuleColumnChange,
} from "./reward-rules.repository.ts";
import type { RewardEvents } from "./reward-events.ts";
import type { ReversalReasonCode, RewardOutcome } from "./reward-types.ts";
import {
  claimMaturedRewards,
  findRewardOwnerAndStatus,
  lockRewardById,
  lockRewardByKey,
  markRewardAppealApproved,
  markRewardReversed,
  markRewardsReleased,
} from "./rewards.repository.ts";
import {
  APPEAL_MESSAGE_MAX_LENGTH,
  APPEAL_MESSAGE_MIN_LENGTH,
  APPEAL_REASON_MAX_LENGTH,
  APPEAL_REASON_MIN_LENGTH,
} from "#shared/text-limits.ts";

export type ReverseFailure =
  { code: "not_found"; message: string } | { code: "already_released"; message: string };

/** Why a reward was taken back, in a code and the words the user reads. */
export type ReversalReason = { code: ReversalReasonCode; message: string };

/** The reason a reversal carries when its caller gives none. */
export const UNDONE: ReversalReason = {
  code: "undone",
  message: "Reversed: the action it paid for was undone before the reward was released.",
};

/**
 * Undoes a reward that is still held (voids its pending transfer, so no balance can go
 * negative), recording why. Idempotent: reversing again returns the reversed reward (with
 * its first reason). A refused reward has nothing to undo and is returned as it is.
 */
export async function reverseReward(
  db: Db,
  key: string,
  reason: ReversalReason = UNDONE,
): Promise<Result<RewardOutcome, ReverseFailure>> {
  return inRetryingTransaction(db, async (trx) => {
    const row = await lockRewardByKey(trx, key);
    if (!row) return err({ code: "not_found", message: `No reward ${key}.` });
    if (row.status === "reversed" || row.status === "refused") return ok(outcomeFromRow(row, true));
    if (row.status === "available") {
      return err({
        code: "already_released",
        message: "This reward was already released to the wallet and can no longer be undone.",
      });
    }
    await recordTransfers(trx, [
      {
        phase: "void",
        key: `reverse:${row.id}`,
        pendingId: BigInt(row.transfer_id!),
        kind: "reward_reversal",
      },
    ]);
    return ok(outcomeFromRow(await markRewardReversed(trx, BigInt(row.id), reason), false));
  });
}

/**
 * Posts every held reward whose hold has ended (up to `limit` per call), so it moves
 * from pending to available. Safe to run on several instances at once: each reward is
 * claimed with SKIP LOCKED and posted exactly once.
 */
export async function releaseMaturedRewards(
  db: Db,
  now = new Date(),
  limit = 1000,
): Promise<RewardOutcome[]> {
  return inRetryingTransaction(db, async (trx) => {
    const rows = await claimMaturedRewards(trx, now, limit);
    if (rows.length === 0) return [];
    await recordTransfers(
      trx,
      rows.map((row) => ({
        phase: "post" as const,
        key: `release:${row.id}`,
        pendingId: BigInt(row.transfer_id!),
        kind: "reward_release",
      })),
    );
    const updated = await markRewardsReleased(
      trx,
      rows.map((row) => BigInt(row.id)),
    );
    return updated.map((row) => outcomeFromRow(row, false));
  });
}

export type AppealFailure =
  | { code: "not_found"; message: string }
  | { code: "not_appealable"; message: string }
  | { code: "already_appealed"; message: string }
  | { code: "invalid_message"; message: string };

export type Appeal = {
  rewardId: bigint;
  userId: UserId;
  message: string;
  status: "open" | "approved" | "denied";
  decisionReason: string | null;
  createdAt: Date;
  decidedAt: Date | null;
};

function toAppeal(row: AppealRow): Appeal {
  return {
    rewardId: BigInt(row.reward_id),
    userId: row.user_id as UserId,
    message: row.message,
    status: row.status,
    decisionReason: row.decision_reason,
    createdAt: row.created_at,
    decidedAt: row.decided_at,
  };
}

/** A user contests a held or refused reward of their own, once. */
export async function appealReward(
  db: Db,
  userId: UserId,
  rewardId: bigint,
  message: string,
): Promise<Result<Appeal, AppealFailure>> {
  const text = withoutControlCharacters(message).trim();
  if (text.length < APPEAL_MESSAGE_MIN_LENGTH || text.length > APPEAL_MESSAGE_MAX_LENGTH) {
    return err({
      code: "invalid_message",
      message: `Explain your appeal in ${APPEAL_MESSAGE_MIN_LENGTH}–${APPEAL_MESSAGE_MAX_LENGTH} characters.`,
    });
  }
  return inRetryingTransaction(db, async (trx) => {
    const reward = isRowId(rewardId) ? await findRewardOwnerAndStatus(trx, rewardId) : undefined;
    // Another user's reward looks exactly like a missing one.
    if (!reward || reward.user_id !== userId) {
      return err({ code: "not_found", message: "No such reward in your wallet." });
    }
    if (reward.status !== "held" && reward.status !== "refused") {
      return err({
        code: "not_appealable",
        message: "Only held or refused rewards can be appealed.",
      });
    }
    const appeal = await insertAppeal(trx, { rewardId, userId, message: text });
    if (!appeal) {
      return err({
        code: "already_appealed",
        message: "This reward was already appealed; each reward can be appealed once.",
      });
    }
    return ok(toAppeal(appeal));
  });
}

export type DecisionFailure =
  | { code: "not_found"; message: string }
  | { code: "already_decided"; message: string }
  | { code: "invalid_reason"; message: string }
  | { code: "budget_exhausted"; message: string };

type AppealDecision = Result<Appeal, DecisionFailure>;

/**
 * An admin decides an open appeal, with a reason the user sees. Approving a held
 * reward releases it now; approving a refused one pays it from its budget. The user is
 * notified (live) once per appeal: the notification is recorded with the decision.
 */
export async function decideAppeal(
  deps: { db: Db; rewardEvents: RewardEvents },
  adminId: UserId,
  rewardId: bigint,
  decision: { approve: boolean; reason: string },
): Promise<Result<Appeal, DecisionFailure>> {
  const reason = withoutControlCharacters(decision.reason).trim();
  if (reason.length < APPEAL_REASON_MIN_LENGTH || reason.length > APPEAL_REASON_MAX_LENGTH) {
    return err({
      code: "invalid_reason",
      message: `Give the reason for the decision in ${APPEAL_REASON_MIN_LENGTH}–${APPEAL_REASON_MAX_LENGTH} characters.`,
    });
  }
  let notified: RecordedNotifications = [];
  const result: AppealDecision = await inRetryingTransaction(deps.db, async (trx) => {
    notified = [];
    const appeal = isRowId(rewardId) ? await lockAppeal(trx, rewardId) : undefined;
    if (!appeal) return err({ code: "not_found", message: "No appeal for that reward." });
    if (appeal.status !== "open")
      return err({ code: "already_decided", message: "This appeal was already decided." });
    const reward = (await lockRewardById(trx, rewardId))!;
    if (decision.approve && reward.status === "held") {
      await recordTransfers(trx, [
        {
          phase: "post",
          key: `release:${reward.id}`,
          pendingId: BigInt(reward.transfer_id!),
          kind: "reward_release",
        },
      ]);
      await markRewardAppealApproved(trx, BigInt(reward.id), { reason });
    } else if (decision.approve && reward.status === "refused") {
      const [budget] = await findBudgets(trx, [reward.budget_id!]);
      const [account] = await lockAccounts(trx, [budget!.accountId]);
      const amount = BigInt(reward.amount);
      if (spendable(account!) < amount) {
        return err({
          code: "budget_exhausted",
          message: `The ${budget!.name} cannot cover this reward now.`,
        });
      }
      const wallet = userWalletAccount(reward.user_id);
      const ids = await ensureAccounts(trx, [wallet]);
      const [paid] = await recordTransfers(trx, [
        {
          phase: "single",
          key: `appeal:${reward.id}`,
          debitAccountId: budget!.accountId,
          creditAccountId: ids.get(wallet.code)!,
          amount,
          kind: "reward",
          memo: reward.memo,
        },
      ]);
      await markRewardAppealApproved(trx, BigInt(reward.id), {
        reason,
        transferId: paid!.transfer.id,
      });
    }
    const decided = await recordAppealDecision(trx, {
      rewardId,
      adminId,
      isApproved: decision.approve,
      reason,
    });
    notified = await recordAppealDecided(trx, {
      userId: reward.user_id as UserId,
      adminId,
      rewardId,
    });
    return ok(toAppeal(decided));
  });
  if (result.ok) publishNotifications(deps, notified);
  return result;
}

export type RuleChange = RuleColumnChange;

export type RuleChangeFailure = { code: "not_found" | "invalid"; message: string; field?: string };

/** An admin edits a rule; the next batch of rewards uses it. */
export async function updateRewardRule(
  db: Db,
  adminId: UserId,
  actionKind: string,
  change: RuleChange,
): Promise<Result<RewardRule, RuleChangeFailure>> {
  // No rule's name holds a control character (and Postgres would refuse a NUL in the lookup).
  if (withoutControlCharacters(actionKind) !== actionKind) {
    return err({ code: "not_found", message: "No rule for that action." });
  }
  if (change.amount !== undefined && asTransferAmount(change.amount) === null) {
    return err({
      code: "invalid",
      field: "amount",
      message: "An amount is a positive whole number of base units (at most 78 digits).",
    });
  }
  for (const field of ["dailyCap", "perTargetDailyCap"] as const) {
    const value = change[field];
    if (
      value !== undefined &&
      value !== null &&
      (!Number.isInteger(value) || value < 1 || value > 1_000_000)
    ) {
      return err({
        code: "invalid",
        field,
        message: "A cap is a whole number from 1 to 1,000,000, or none.",
      });
    }
  }
  if (
    change.holdSeconds !== undefined &&
    (!Number.isInteger(change.holdSeconds) ||
      change.holdSeconds < 0 ||
      change.holdSeconds > 90 * 86400)
  ) {
    return err({
      code: "invalid",
      field: "holdSeconds",
      message: "A hold is 0 to 90 days, in whole seconds.",
    });
  }
  const isUpdated = await updateRule(db, actionKind, change, { adminId, at: new Date() });
  if (!isUpdated) return err({ code: "not_found", message: `No rule for "${actionKind}".` });
  const [rule] = await findRules(db, [actionKind]);
  return ok(rule!);
}

/** One action's reward rule, or null when there is none. */
export async function getRewardRule(db: Db, actionKind: string): Promise<RewardRule | null> {
  const [rule] = await findRules(db, [actionKind]);
  return rule ?? null;
}

/** Every reward rule, by action kind: what an admin edits. */
export function listRewardRules(db: Db): Promise<RewardRule[]> {
  return listRules(db);
}

export type NewBudget = {
  id: string;
  name: string;
  kind: "daily_emission" | "escrow";
  dailyAmount?: bigint;
};

/** Creates a budget and its ledger account; an escrow starts empty until funded. */
export async function createBudget(db: Db, budget: NewBudget): Promise<void> {
  const account = budgetAccount(budget.id);
  const ids = await ensureAccounts(db, [account]);
  await insertBudget(db, {
    id: budget.id,
    name: budget.name,
    kind: budget.kind,
    dailyAmount: budget.dailyAmount ?? null,
    accountId: ids.get(account.code)!,
  });
}

/** Mints `amount` into an escrow budget (a sponsor's deposit, a studio's achievement pot). */
export async function fundBudget(
  db: Db,
  budgetId: string,
  amount: bigint,
  key: string,
): Promise<void> {
  await inRetryingTransaction(db, async (trx) => {
    const [budget] = await findBudgets(trx, [budgetId]);
    if (!budget) throw new Error(`fundBudget: no budget ${budgetId}`);
    const mint = await ensureAccounts(trx, [mintAccount]);
    await recordTransfers(trx, [
      {
        phase: "single",
        key,
        debitAccountId: mint.get(mintAccount.code)!,
        creditAccountId: budget.accountId,
        amount,
        kind: "budget_funding",
        memo: `Funding for ${budget.name}`,
      },
    ]);
  });
}
