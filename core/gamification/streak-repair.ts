import type { UserId } from "#core/auth/ids.ts";
import {
  accountCodes,
  ensureAccounts,
  userWalletAccount,
} from "#core/ledger/accounts.repository.ts";
import { formatMicro } from "#shared/money.ts";
import { LedgerError } from "#core/ledger/ledger-error.ts";
import { inRetryingTransaction, recordTransfers } from "#core/ledger/transfers.service.ts";
import { err, ok, type Result } from "#core/result.ts";
import { findBudgets } from "#core/rewards/reward-rules.repository.ts";
import { monthOf } from "./calendar.ts";
import { GAMIFICATION_BUDGET_ID, STREAK_REPAIR_PRICE } from "./gamification-rules.ts";
import { getStreak, type GamificationDeps, type StreakStatus } from "./progress.service.ts";
import { insertStreakRepair, setStreakRepairTransfer } from "./streak-repair.repository.ts";

/**
 * Repairing a broken streak: once a calendar month, within 48 hours after the missed day
 * ended, for a small price paid from the available balance (a ledger transfer back into
 * the platform's reward budget, so the money goes on to pay everyone's rewards and the
 * next day's emission mints that much less). Paying makes a repair a deliberate choice
 * that costs about two days of check-ins, rather than a chore of extra actions; the
 * monthly limit keeps a streak something kept, not bought.
 */
export type StreakRepairFailure = {
  code: "not_broken" | "too_late" | "gap_too_long" | "used_this_month" | "insufficient_balance";
  message: string;
};

export type StreakRepaired = {
  repairedDay: string;
  price: bigint;
  transferId: bigint;
  streak: StreakStatus;
};

class InsufficientBalance extends Error {}

export async function repairStreak(
  deps: Pick<GamificationDeps, "db">,
  userId: UserId,
  now = new Date(),
): Promise<Result<StreakRepaired, StreakRepairFailure>> {
  const before = await getStreak(deps, userId, now);
  const offer = before.repair;
  if (!offer.isAvailable) return err({ code: offer.reason, message: offer.message });
  const month = monthOf(now);
  const price = STREAK_REPAIR_PRICE;
  try {
    const outcome = await inRetryingTransaction(deps.db, async (trx) => {
      const isRecorded = await insertStreakRepair(trx, {
        userId,
        month,
        repairedDay: offer.day,
        price,
        at: now,
      });
      if (!isRecorded) return null;
      const ids = await ensureAccounts(trx, [userWalletAccount(userId)]);
      const [budget] = await findBudgets(trx, [GAMIFICATION_BUDGET_ID]);
      if (!budget) throw new Error(`The ${GAMIFICATION_BUDGET_ID} reward budget does not exist`);
      let transferId: bigint;
      try {
        const [result] = await recordTransfers(trx, [
          {
            phase: "single",
            key: `streak-repair:${userId}:${month}`,
            debitAccountId: ids.get(accountCodes.userWallet(userId))!,
            creditAccountId: budget.accountId,
            amount: price,
            kind: "streak_repair",
            memo: `Streak repair for ${offer.day}`,
          },
        ]);
        transferId = result!.transfer.id;
      } catch (error) {
        if (error instanceof LedgerError && error.code === "insufficient_funds") {
          throw new InsufficientBalance();
        }
        throw error;
      }
      await setStreakRepairTransfer(trx, userId, month, transferId);
      return transferId;
    });
    if (outcome === null) {
      return err({
        code: "used_this_month",
        message: "You already repaired a streak this month; one repair a month.",
      });
    }
    return ok({
      repairedDay: offer.day,
      price,
      transferId: outcome,
      streak: await getStreak(deps, userId, now),
    });
  } catch (error) {
    if (error instanceof InsufficientBalance) {
      return err({
        code: "insufficient_balance",
        message: `A repair costs ${formatMicro(price)} MICRO from your available balance, which is not enough yet.`,
      });
    }
    throw error;
  }
}
