import { displayAmount, formatMicroForDisplay, type DisplayAmount } from "#shared/money.ts";
import type { RewardOutcome } from "./reward-types.ts";

/**
 * How a note words what an action earned, by what was acted on. A like can be undone by
 * its giver, so a like that comes back reversed was paid before (nothing new); an
 * achievement's note is shown inside a sentence ("First finish (+0.05 MICRO pending)"),
 * hence its lower case.
 */
const wordsBySubject = {
  like: {
    refusedText: "No reward this time",
    refusedDetail: "This like earned nothing.",
    reversedStatus: "none",
    reversedText: "No new reward",
    reversedDetail: "You were rewarded for this like before it was undone.",
  },
  achievement: {
    refusedText: "no reward this time",
    refusedDetail: "This achievement paid nothing.",
    reversedStatus: "reversed",
    reversedText: "reward reversed",
    // The reward's own memo says what was reversed.
    reversedDetail: null,
  },
} as const;

export type RewardNoteSubject = keyof typeof wordsBySubject;

/** What an action earned the person who did it, as the door shows it right after. */
export type RewardNote<S extends RewardNoteSubject = RewardNoteSubject> = {
  status: "pending" | "paid" | "none" | (typeof wordsBySubject)[S]["reversedStatus"];
  amount: DisplayAmount;
  /** "+0.0002 MICRO pending" */
  text: string;
  detail: string;
};

/** The note for an action's reward (null when the action pays nothing at all). */
export function rewardNote<S extends RewardNoteSubject>(
  outcome: RewardOutcome | null,
  subject: S,
): RewardNote<S> | null {
  if (!outcome) return null;
  const words = wordsBySubject[subject];
  const amount = displayAmount(outcome.amount);
  switch (outcome.status) {
    case "held":
      return {
        status: "pending",
        amount,
        text: `${formatMicroForDisplay(outcome.amount, { isSigned: true })} MICRO pending`,
        detail: outcome.reason?.message || "Pending until its hold ends.",
      };
    case "available":
      return {
        status: "paid",
        amount,
        text: `${formatMicroForDisplay(outcome.amount, { isSigned: true })} MICRO`,
        detail: outcome.memo,
      };
    case "refused":
      return {
        status: "none",
        amount,
        text: words.refusedText,
        detail: outcome.reason?.message ?? words.refusedDetail,
      };
    case "reversed":
      return {
        status: words.reversedStatus,
        amount,
        text: words.reversedText,
        detail: words.reversedDetail ?? outcome.memo,
      };
  }
}
