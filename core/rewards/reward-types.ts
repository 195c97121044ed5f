import type { UserId } from "#core/auth/ids.ts";

/** Why a reward is held or refused: a code for programs and words for people. */
export type RewardReasonCode =
  | "hold_period"
  /** Held for review: a named risk signal fired (the reward's signals hold the details). */
  | "risk_review"
  /** Paid at a reduced share (a burst of likes). */
  | "reduced_share"
  | "daily_cap"
  | "target_cap"
  | "budget_exhausted"
  | "rule_disabled"
  | "appeal_approved"
  | "review_approved"
  | ReversalReasonCode;

/** Why a reward was taken back. */
export type ReversalReasonCode =
  | "undone"
  | "unliked"
  | "unfollowed"
  | "deleted"
  | "moderated"
  | "admin_reversed"
  | "quest_progress_lost";

export type RewardReason = { code: RewardReasonCode; message: string };

export type RewardRequest = {
  /** What happened, e.g. "like.received"; a rule must exist for it. */
  actionKind: string;
  /** Who is paid. */
  userId: UserId;
  /** The cause's own id (a like's id, a run's id): with the kind it makes the idempotency key. */
  causeId: string;
  /** For per-target caps, e.g. the liker's id for likes an author receives. */
  targetKey?: string | null;
  /** What the user reads in their wallet: "Ada liked your post". */
  memo: string;
  /**
   * The part of the rule's amount this action earns, in thousandths (1–1000; 1000, the
   * default, is the full amount). Callers lower it for diminishing returns on bursts.
   */
  shareThousandths?: number;
  /**
   * Extra rewards of this kind the user may earn per UTC day on top of the rule's daily
   * cap (0–1000; default 0): perks of their level and trust, decided by the caller so
   * the engine reads nothing more. Ignored for rules without a daily cap.
   */
  dailyCapBonus?: number;
  /**
   * Why `shareThousandths` is below the full amount, in the user's words ("Paid at half
   * rate: you liked 12 posts in 10 minutes."); shown as the reward's reason.
   */
  shareReason?: string;
  /**
   * The account whose action this pays for, when it is not the earner (the liker of a
   * liked post, a new follower): its standing is a risk signal.
   */
  engagerId?: UserId | null;
};

export type RewardStatus = "held" | "available" | "refused" | "reversed";

export type RewardOutcome = {
  rewardId: bigint;
  key: string;
  userId: UserId;
  actionKind: string;
  status: RewardStatus;
  amount: bigint;
  holdUntil: Date | null;
  reason: RewardReason | null;
  memo: string;
  createdAt: Date;
  /** True when this call replayed an earlier one and changed nothing. */
  isReplay: boolean;
};

export type RewardErrorCode =
  "invalid_request" | "unknown_action" | "unknown_user" | "idempotency_conflict";

export type RewardError = { code: RewardErrorCode; message: string };

export function rewardKey(actionKind: string, causeId: string): string {
  return `${actionKind}:${causeId}`;
}
