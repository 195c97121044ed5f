import { formatDateTime } from "#shared/dates.ts";
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

/** A stream the history can be filtered by: its value in `?stream=` and its label. */
export type StreamOption = { value: string; label: string };

export type WalletHistory = {
  entries: {
    id: string;
    amount: DisplayAmount;
    balance: "pending" | "available" | "invested" | "settled";
    memo: string;
    createdAt: string;
    /** The stream's label, or null for transfers no stream pays (settling, investing). */
    streamLabel: string | null;
  }[];
  olderCursor: string | null;
  isFirstPage: boolean;
  /** The stream shown, or null for all of them. */
  stream: string | null;
  streams: StreamOption[];
};

/** One line of held or refused rewards sharing a reason (core's HeldRewardGroup, for the page). */
export type HeldGroupView = {
  key: string;
  status: "held" | "refused";
  title: string;
  explanation: string;
  count: number;
  total: DisplayAmount;
  earliestRelease: string | null;
  isAppealable: boolean;
  unappealedCount: number;
  openAppealCount: number;
  deniedAppealCount: number;
  latestAppealMessage: string | null;
  latestDenialReason: string | null;
  rewards: RewardView[];
};

/** Decided appeals, one line per outcome and reason. */
export type AppealDecisionView = {
  status: "approved" | "denied";
  decisionReason: string | null;
  count: number;
  total: DisplayAmount;
  decidedAt: string;
};

export type CheckInResult = {
  intent: "check-in";
  status: RewardView["status"];
  isReplay: boolean;
  message: string;
  amount: DisplayAmount;
};

/** A group appeal form's submission as Conform replies it, tagged with the group it was for. */
export type AppealResult = {
  intent: "appeal-group";
  groupKey: string;
  /** How many rewards the appeal opened for (0 when it was already sent). */
  appealedCount: number | null;
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

/** The site's one date rule (shared/dates.ts): "7 Dec 2026, 14:05 UTC". */
export const formatDate = (iso: string) => formatDateTime(iso);
