import type { LinkFailure } from "#core/auth/email-token.ts";
import { verifyEmail } from "#core/auth/email-verification.service.ts";
import type { UserId } from "#core/auth/ids.ts";
import type { User } from "#core/auth/user.ts";
import { ok, type Result } from "#core/result.ts";
import { grantWelcomeBonus } from "#core/rewards/check-in.ts";
import type { RewardEngine } from "#core/rewards/reward-engine.ts";
import type { RewardOutcome } from "#core/rewards/reward-types.ts";
import type { Db } from "#db/create-db.ts";
import {
  findActivationFacts,
  findReadyToActivate,
  markActivated,
} from "./activation.repository.ts";

/**
 * Activation (issue #15): an account activates when its email is verified AND an
 * established member engaged with it — liked one of its posts or comments, commented on
 * one of its posts, or followed it — where established means an activated account, not
 * hidden, that joined at least ESTABLISHED_AFTER_DAYS before. A script can verify an email
 * and make accounts engage with each other; it cannot make people who have been here a
 * while care. Welcome bonuses are paid at activation, once (the reward's own key).
 */
export const ESTABLISHED_AFTER_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

export type ActivationDeps = { db: Db; rewards: RewardEngine };

export type ActivationStep = "verify_email" | "established_engagement";

export const activationStepWords: Record<ActivationStep, string> = {
  verify_email: "Verify your email address (the link is in the email we sent you).",
  established_engagement: `Get a like, a comment or a follow from an established member (an account here for at least ${ESTABLISHED_AFTER_DAYS} days): post something, comment, take part.`,
};

export type ActivationStatus = {
  isActivated: boolean;
  activatedAt: Date | null;
  /** What is still missing, in order; empty once activated. */
  missing: ActivationStep[];
};

export type ActivationResult = ActivationStatus & {
  /** True only for the call that activated the account. */
  isNewlyActivated: boolean;
  /** The welcome bonus paid at activation (null when not activated or the grant failed). */
  welcome: RewardOutcome | null;
};

function establishedBefore(now: Date): Date {
  return new Date(now.getTime() - ESTABLISHED_AFTER_DAYS * DAY_MS);
}

/** Where an account stands on activation; null for an unknown account. */
export async function getActivationStatus(
  db: Db,
  userId: UserId,
  now = new Date(),
): Promise<ActivationStatus | null> {
  const facts = await findActivationFacts(db, userId, establishedBefore(now));
  if (!facts) return null;
  if (facts.activatedAt) return { isActivated: true, activatedAt: facts.activatedAt, missing: [] };
  const missing: ActivationStep[] = [];
  if (!facts.emailVerifiedAt) missing.push("verify_email");
  if (!facts.hasEstablishedEngagement) missing.push("established_engagement");
  return { isActivated: false, activatedAt: null, missing };
}

/**
 * Activates the account if it is ready (see above) and pays its welcome bonus. Safe to
 * call any time and from anywhere (right after email verification, the scheduled step):
 * the welcome is granted first under its idempotency key and the account marked after,
 * so a crash in between is finished by the next call and nothing is paid twice.
 */
export async function tryActivate(
  deps: ActivationDeps,
  userId: UserId,
  now = new Date(),
): Promise<ActivationResult | null> {
  const status = await getActivationStatus(deps.db, userId, now);
  if (!status) return null;
  if (status.isActivated || status.missing.length > 0) {
    return { ...status, isNewlyActivated: false, welcome: null };
  }
  const granted = await grantWelcomeBonus(deps.rewards, { id: userId });
  const isNewlyActivated = await markActivated(deps.db, userId, now);
  const after = (await getActivationStatus(deps.db, userId, now))!;
  return { ...after, isNewlyActivated, welcome: granted.ok ? granted.value : null };
}

/**
 * The scheduled step: activates every account that became ready (up to `limit`), e.g. a
 * verified newcomer whom an established member just followed. Returns how many activated.
 */
export async function activateReadyAccounts(
  deps: ActivationDeps,
  now = new Date(),
  limit = 200,
): Promise<number> {
  const ready = await findReadyToActivate(deps.db, establishedBefore(now), limit);
  let activated = 0;
  for (const userId of ready) {
    const result = await tryActivate(deps, userId as UserId, now);
    if (result?.isNewlyActivated) activated += 1;
  }
  return activated;
}

/**
 * Spends an email verification link and, if that was all the account lacked, activates it
 * at once (the scheduled step would a moment later; the person is looking now). Both doors
 * verify through here.
 */
export async function confirmEmailAndActivate(
  deps: ActivationDeps,
  token: string,
  now = new Date(),
): Promise<Result<{ user: User; activation: ActivationResult | null }, LinkFailure>> {
  const verified = await verifyEmail(deps.db, token, now);
  if (!verified.ok) return verified;
  const activation = await tryActivate(deps, verified.value.id, now);
  return ok({ user: verified.value, activation });
}
