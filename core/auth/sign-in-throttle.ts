import type { SignInLimits } from "#runtime/config.ts";
import type { Db } from "#db/create-db.ts";
import { addressForLimits } from "./client-address.ts";
import { clearAttempts, countAttempt, countStreak, peekBucket } from "./rate-limit.repository.ts";

/** The longest a person waits between tries, however many failures came before. */
export const MAX_SIGN_IN_DELAY_SECONDS = 60;
const DEFAULT_ALERT_AFTER = 10;

export type SignInThrottled = { kind: "rate-limited"; message: string; retryAfterSeconds: number };

const keys = {
  // One account from one address: the only counter that slows a guesser down.
  pair: (email: string, ip: string | null) =>
    `sign-in:pair:${email}|${ip ? addressForLimits(ip) : "unknown"}`,
  // One address across accounts: a looser cap for credential stuffing.
  address: (ip: string) => `sign-in:address:${addressForLimits(ip)}`,
  // One account from anywhere: never refuses, only tells the owner.
  account: (email: string) => `sign-in:account:${email}`,
};

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

/** Seconds to wait after the latest failure, growing 1, 2, 4… once the free tries are spent. */
export function signInDelaySeconds(failures: number, freeTries: number): number {
  if (failures < freeTries) return 0;
  return Math.min(MAX_SIGN_IN_DELAY_SECONDS, 2 ** (failures - freeTries));
}

/**
 * Whether this address may try this account now (OWASP: throttle, don't lock out). Only
 * failures from this same address slow it down, so an attacker elsewhere never keeps the
 * owner out; an address failing on many accounts is refused for the rest of the window.
 */
export async function checkSignInThrottle(
  db: Db,
  limits: SignInLimits,
  email: string,
  ip: string | null,
  now: Date,
): Promise<SignInThrottled | null> {
  if (ip) {
    const address = await peekBucket(db, keys.address(ip), limits.windowMs, now);
    if (address && address.attempts >= limits.perIp) {
      const seconds = secondsUntil(address.windowEndsAt, now);
      const minutes = Math.ceil(seconds / 60);
      return {
        kind: "rate-limited",
        message: `Too many failed sign-ins from your network. Try again in ${plural(minutes, "minute")}.`,
        retryAfterSeconds: seconds,
      };
    }
  }
  // The pair's bucket is a streak: window_started_at is the latest failure.
  const pair = await peekBucket(db, keys.pair(email, ip), limits.windowMs, now);
  if (!pair) return null;
  const delay = signInDelaySeconds(pair.attempts, limits.perAccount);
  const allowedAt = new Date(pair.windowStartedAt.getTime() + delay * 1000);
  if (allowedAt.getTime() <= now.getTime()) return null;
  const seconds = secondsUntil(allowedAt, now);
  return {
    kind: "rate-limited",
    message: `Too many wrong passwords for this account. Wait ${plural(seconds, "second")} before trying again.`,
    retryAfterSeconds: seconds,
  };
}

/**
 * Counts a failed sign-in; returns true exactly once per window, when the account's
 * failures from all addresses reach the alert threshold, so its owner is told once.
 */
export async function recordSignInFailure(
  db: Db,
  limits: SignInLimits,
  email: string,
  ip: string | null,
  now: Date,
): Promise<{ shouldAlertOwner: boolean; accountFailures: number }> {
  await countStreak(db, keys.pair(email, ip), limits.windowMs, now);
  if (ip) await countAttempt(db, keys.address(ip), limits.windowMs, now);
  const account = await countAttempt(db, keys.account(email), limits.windowMs, now);
  const alertAfter = limits.alertOwnerAfter ?? DEFAULT_ALERT_AFTER;
  return { shouldAlertOwner: account.attempts === alertAfter, accountFailures: account.attempts };
}

/** A correct password from this address ends its streak (other addresses keep theirs). */
export async function clearSignInFailures(db: Db, email: string, ip: string | null): Promise<void> {
  await clearAttempts(db, keys.pair(email, ip));
}

function secondsUntil(at: Date, now: Date): number {
  return Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000));
}
