import type { SubmissionResult } from "@conform-to/react";
import type { PaidShareView } from "#app/components/earning/earning-views.ts";
import type { DisplayAmount } from "#shared/money.ts";

/** A reward rule as the admin page shows and edits it. */
export type RuleView = {
  actionKind: string;
  label: string;
  amount: DisplayAmount;
  dailyCap: number | null;
  perTargetDailyCap: number | null;
  holdSeconds: number;
  budgetId: string;
  isEnabled: boolean;
  /**
   * For a rule that pays shares (achievements, streak milestones, quests): what each one
   * pays under the saved amount, computed as the payout computes it. Empty for a flat rate.
   */
  shares: PaidShareView[];
};

/** An open appeal waiting for an admin's decision. */
export type AppealView = {
  rewardId: string;
  userHandle: string;
  memo: string;
  amount: DisplayAmount;
  status: "held" | "available" | "refused" | "reversed";
  reason: string | null;
  message: string;
  createdAt: string;
};

/** Conform's reply to a rule form, tagged with the rule it was for. */
export type RuleResult = {
  intent: "update-rule";
  actionKind: string;
  result: SubmissionResult<string[]>;
  isSaved: boolean;
};

/** Conform's reply to a decision form, tagged with the appeal it was for. */
export type DecisionResult = {
  intent: "decide-appeal";
  rewardId: string;
  result: SubmissionResult<string[]>;
  decided: "approved" | "denied" | null;
};

/** Every answer the rewards admin page's action gives. */
export type RewardsAdminActionData =
  RuleResult | DecisionResult | { intent: "unknown"; message: string };
