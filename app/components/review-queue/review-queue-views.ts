import type { SubmissionResult } from "@conform-to/react";
import type { DisplayAmount } from "#shared/money.ts";

/** A reward held for review, as the queue shows it. */
export type QueuedRewardView = {
  rewardId: string;
  userHandle: string;
  actionKind: string;
  memo: string;
  amount: DisplayAmount;
  createdAt: string;
  /** Every signal raised on it; cleared ones are marked. */
  signals: { code: string; message: string; isCleared: boolean }[];
};

/** Conform's reply to a decision form, tagged with the reward it was for. */
export type ReviewDecisionResult = {
  intent: "decide-review";
  rewardId: string;
  result: SubmissionResult<string[]>;
  decided: "approved" | "reversed" | null;
};

/** Every answer the review page's action gives. */
export type ReviewActionData = ReviewDecisionResult | { intent: "unknown"; message: string };
