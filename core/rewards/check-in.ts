import type { UserId } from "#core/auth/ids.ts";
import type { User } from "#core/auth/user.ts";
import type { Result } from "#core/result.ts";
import type { RewardEngine } from "./reward-engine.ts";
import { rewardKey, type RewardError, type RewardOutcome } from "./reward-types.ts";

export const CHECK_IN_KIND = "checkin.daily";
export const WELCOME_KIND = "account.welcome";

/** The UTC calendar day a check-in counts for, e.g. "2026-11-25". */
export function checkInDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** The idempotency key of a user's check-in on the UTC day of `now` (to look it up). */
export function checkInKey(userId: UserId, now = new Date()): string {
  return rewardKey(CHECK_IN_KIND, `${userId}:${checkInDay(now)}`);
}

/**
 * Pays the daily check-in, at most once per user per UTC day: checking in again the
 * same day replays the first outcome (`isReplay`), it never pays twice.
 */
export function checkIn(
  engine: RewardEngine,
  userId: UserId,
  now = engine.now(),
): Promise<Result<RewardOutcome, RewardError>> {
  return engine.reward({
    actionKind: CHECK_IN_KIND,
    userId,
    causeId: `${userId}:${checkInDay(now)}`,
    memo: "Daily check-in",
  });
}

/** Pays a new account's welcome bonus, once per account (replays return the first outcome). */
export function grantWelcomeBonus(
  engine: RewardEngine,
  user: Pick<User, "id">,
): Promise<Result<RewardOutcome, RewardError>> {
  return engine.reward({
    actionKind: WELCOME_KIND,
    userId: user.id,
    causeId: user.id,
    memo: "Welcome to Tributary",
  });
}

/** A check-in's outcome in words a person can act on; both doors show the same text. */
export function describeCheckIn(outcome: RewardOutcome): string {
  if (outcome.status === "refused") {
    return `Refused: ${outcome.reason?.message ?? "this check-in was not paid."}`;
  }
  if (outcome.isReplay) {
    return "You already checked in today — the next check-in opens at 00:00 UTC.";
  }
  if (outcome.status === "held") {
    return `Checked in. ${outcome.reason?.message ?? "Pending until its hold ends."}`;
  }
  if (outcome.status === "reversed") return "This check-in was undone.";
  return "Checked in: paid into your available balance.";
}
