import type { SubmissionResult } from "@conform-to/react";
import type { DisplayAmount } from "#shared/money.ts";

/** What the wallet page knows of one reward (core's record, as the loader sends it). */
export type RewardView = {
  id: string;
  memo: string;
  amount: DisplayAmount;
  status: "held" | "available" | "refused" | "reversed";
  reason: string | null;
  holdUntil: string | null;
  createdAt: string;
  isAppealable: boolean;
  appeal: {
    status: "open" | "approved" | "denied";
    message: string;
    decisionReason: string | null;
  } | null;
};

export type WalletTotals = {
  available: DisplayAmount;
  pending: DisplayAmount;
  invested: DisplayAmount;
  settled: DisplayAmount;
  nextUnlockAt: string | null;
};

export type WalletHistory = {
  entries: {
    id: string;
    amount: DisplayAmount;
    balance: "pending" | "available" | "invested" | "settled";
    memo: string;
    createdAt: string;
  }[];
  olderCursor: string | null;
  isFirstPage: boolean;
};

export type CheckInResult = {
  intent: "check-in";
  status: RewardView["status"];
  isReplay: boolean;
  message: string;
  amount: DisplayAmount;
};

/** The appeal form's submission as Conform replies it, tagged with the reward it was for. */
export type AppealResult = {
  intent: "appeal";
  rewardId: string;
  result: SubmissionResult<string[]>;
};

/** Every answer the wallet page's action gives. */
export type WalletActionData =
  CheckInResult | AppealResult | { intent: "unknown"; message: string };

export const statusWords: Record<RewardView["status"], string> = {
  held: "Held",
  available: "Paid",
  refused: "Refused",
  reversed: "Undone",
};

// A fixed zone so the server's HTML and the browser's hydration print the same text.
const dateFormat = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});
export const formatDate = (iso: string) => `${dateFormat.format(new Date(iso))} UTC`;
