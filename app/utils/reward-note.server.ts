import type { RewardNote } from "#app/components/social/types.ts";
import { displayAmount, formatMicro } from "#shared/money.ts";
import type { RewardOutcome } from "#core/rewards/reward-types.ts";

const holdWords = (outcome: RewardOutcome) =>
  outcome.reason?.message ? outcome.reason.message : "Pending until its hold ends.";

/** What an action earned the person who did it, in words for a button to show. */
export function rewardNote(outcome: RewardOutcome | null): RewardNote | null {
  if (!outcome) return null;
  const amount = displayAmount(outcome.amount);
  switch (outcome.status) {
    case "held":
      return {
        status: "pending",
        amount,
        text: `+${formatMicro(outcome.amount)} MICRO pending`,
        detail: holdWords(outcome),
      };
    case "available":
      return {
        status: "paid",
        amount,
        text: `+${formatMicro(outcome.amount)} MICRO`,
        detail: outcome.memo,
      };
    case "refused":
      return {
        status: "none",
        amount,
        text: "No reward this time",
        detail: outcome.reason?.message ?? "This like earned nothing.",
      };
    case "reversed":
      return {
        status: "none",
        amount,
        text: "No new reward",
        detail: "You were rewarded for this like before it was undone.",
      };
  }
}
