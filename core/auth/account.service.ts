import type { SignInLimits, SignUpLimits } from "#runtime/config.ts";
import {
  existingAccountMessage,
  signInAlertMessage,
  verificationMessage,
} from "#core/mail/account-messages.ts";
import type { Db } from "#db/create-db.ts";
import {
  err,
  fieldErrorsFromIssues,
  ok,
  validationFailure,
  type Result,
  type ValidationFailure,
} from "../result.ts";
import {
  signInInput,
  signUpInput,
  updateProfileInput,
  type SignInInput,
  type SignUpInput,
  type UpdateProfileInput,
} from "./account-input.ts";
import type { SessionId, UserId } from "./ids.ts";
import { burnPasswordCheck, hashPassword, verifyPassword } from "./password-hash.ts";
import { accountLinks, sendInBackground, type AccountMail } from "./account-mail.ts";
import { issueEmailToken, VERIFY_EMAIL_TTL_MS } from "./email-token.ts";
import { countAttempt } from "./rate-limit.repository.ts";
import {
  checkSignInThrottle,
  clearSignInFailures,
  recordSignInFailure,
  type SignInThrottled,
} from "./sign-in-throttle.ts";
import {
  countSignUp,
  disposableEmailMessage,
  isDisposableEmail,
  type SignUpRefused,
} from "./sign-up-limits.ts";
import {
  createSession,
  invalidateSession,
  type NewSession,
  type SessionPolicy,
} from "./session.service.ts";
import {
  findUserByEmail,
  findUserByHandle,
  insertUser,
  updateUserDisplayName,
} from "./user.repository.ts";
import { toUser, type User } from "./user.ts";

export type AuthPolicy = {
  session: SessionPolicy;
  signInLimits: SignInLimits;
  signUpLimits: SignUpLimits;
};
export type ClientInfo = {
  ip: string | null;
  userAgent: string | null;
  /** The session this browser already has, if any: a new sign-in replaces it. */
  currentSessionId?: SessionId | null;
  /** The web door's long-lived browser id (device cookie); absent for API clients. */
  deviceId?: string | null;
};
export type SignedIn = { user: User } & NewSession;

/**
 * Mail to send links with (verification on sign-up, the owner's alert on repeated failed
 * sign-ins) and the clock. Without `mail` nothing is mailed: test fixtures and scripts.
 */
export type AccountOptions = { mail?: AccountMail; now?: Date };

export type SignUpFailure = ValidationFailure | SignUpRefused;
export type SignInFailure =
  ValidationFailure | { kind: "invalid-credentials"; message: string } | SignInThrottled;

const takenHandleMessage = "That handle is taken; try another.";

/**
 * What sign-up answers, the same whether the address was new or already had an account:
 * nothing in it (no user id, no session) may tell the two apart.
 */
export type SignUpStarted = { email: string };

// An attacker may sign up with someone's address from many networks; its owner hears of it
// at most this often (the answer stays the same, only the mail is skipped).
const OWNER_NOTICES_PER_DAY = 3;
const DAY_MS = 24 * 60 * 60 * 1000;

function isUniqueViolation(error: unknown): error is { code: string; constraint?: string } {
  return (
    typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23505"
  );
}

/** Thrown inside the sign-up transaction to roll back its counts. */
class SignUpRefusedError extends Error {
  constructor(readonly refusal: SignUpRefused) {
    super(refusal.message);
  }
}

type SignUpOutcome =
  { kind: "created"; user: User; verificationToken: string } | { kind: "taken"; owner: User };

/**
 * Starts an account for a new address and mails it a verification link; for an address
 * that already has an account it creates nothing and mails its owner instead. Both answer
 * the same, open no session (the verification link or the password signs in) and cost the
 * same password hashing. Every attempt with valid input and a free handle counts against
 * the sign-up limits, taken addresses too; past them it is refused, writing and mailing
 * nothing. A taken handle is a field error (handles are public).
 */
export async function signUp(
  db: Db,
  policy: AuthPolicy,
  raw: SignUpInput,
  client: ClientInfo,
  options: AccountOptions = {},
): Promise<Result<SignUpStarted, SignUpFailure>> {
  const now = options.now ?? new Date();
  const parsed = signUpInput.safeParse(raw);
  if (!parsed.success) return err(validationFailure(fieldErrorsFromIssues(parsed.error.issues)));
  const input = parsed.data;
  if (isDisposableEmail(input.email)) {
    return err(validationFailure({ email: [disposableEmailMessage] }));
  }
  // Asked about the handle only: whether the email is taken must not change this answer.
  if (await findUserByHandle(db, input.handle)) {
    return err(validationFailure({ handle: [takenHandleMessage] }));
  }

  const passwordHash = await hashPassword(input.password);
  const attempt = () =>
    db.transaction().execute(async (trx): Promise<SignUpOutcome> => {
      const refused = await countSignUp(trx, policy.signUpLimits, client, now);
      if (refused) throw new SignUpRefusedError(refused);
      const owner = await findUserByEmail(trx, input.email);
      if (owner) return { kind: "taken", owner: toUser(owner) };
      const created = toUser(
        await insertUser(trx, {
          handle: input.handle,
          email: input.email,
          display_name: input.displayName ?? input.handle,
          password_hash: passwordHash,
          created_at: now,
          updated_at: now,
        }),
      );
      const token = await issueEmailToken(trx, "verify-email", created, now);
      return { kind: "created", user: created, verificationToken: token };
    });
  let outcome: SignUpOutcome;
  try {
    try {
      outcome = await attempt();
    } catch (error) {
      // Lost a race with a sign-up for the same address or handle. Postgres may name either
      // index when both collide, so try once more: it finds the address's owner if the
      // address was taken (the same answer as ever), else the handle collides again below.
      if (isUniqueViolation(error)) {
        outcome = await attempt();
      } else {
        throw error;
      }
    }
  } catch (error) {
    if (error instanceof SignUpRefusedError) return err(error.refusal);
    // Lost a race for the handle between the check and the insert.
    if (isUniqueViolation(error) && error.constraint === "users_handle_key") {
      return err(validationFailure({ handle: [takenHandleMessage] }));
    }
    throw error;
  }

  const mail = options.mail;
  if (outcome.kind === "created") {
    const { user, verificationToken } = outcome;
    if (mail) {
      sendInBackground(mail, (mailer) =>
        mailer.send(
          verificationMessage({
            to: user.email,
            displayName: user.displayName,
            link: accountLinks.verifyEmail(mail.linkOrigin, verificationToken),
            validHours: VERIFY_EMAIL_TTL_MS / (60 * 60 * 1000),
          }),
        ),
      );
    }
  } else {
    const { owner } = outcome;
    const notices = await countAttempt(db, `sign-up:owner-notice:${owner.id}`, DAY_MS, now);
    if (mail && notices.attempts <= OWNER_NOTICES_PER_DAY) {
      sendInBackground(mail, (mailer) =>
        mailer.send(
          existingAccountMessage({
            to: owner.email,
            displayName: owner.displayName,
            signInLink: accountLinks.signIn(mail.linkOrigin),
            resetLink: accountLinks.forgotPassword(mail.linkOrigin),
          }),
        ),
      );
    }
  }
  return ok({ email: input.email });
}

/**
 * Checks credentials and opens a session. Failures slow down only the address they come
 * from (growing delays per account and address, a looser cap per address), so nobody can
 * lock the owner out; the owner is mailed once per window when failures pile up.
 */
export async function signIn(
  db: Db,
  policy: Pick<AuthPolicy, "session" | "signInLimits">,
  raw: SignInInput,
  client: ClientInfo,
  options: AccountOptions = {},
): Promise<Result<SignedIn, SignInFailure>> {
  const now = options.now ?? new Date();
  const parsed = signInInput.safeParse(raw);
  if (!parsed.success) return err(validationFailure(fieldErrorsFromIssues(parsed.error.issues)));
  const { email, password } = parsed.data;
  const limits = policy.signInLimits;

  const throttled = await checkSignInThrottle(db, limits, email, client.ip, now);
  if (throttled) return err(throttled);

  const row = await findUserByEmail(db, email);
  const isCorrect = row
    ? await verifyPassword(row.password_hash, password)
    : await burnPasswordCheck(password).then(() => false);
  if (!row || !isCorrect) {
    const failure = await recordSignInFailure(db, limits, email, client.ip, now);
    const mail = options.mail;
    if (row && mail && failure.shouldAlertOwner) {
      sendInBackground(mail, (mailer) =>
        mailer.send(
          signInAlertMessage({
            to: row.email,
            failures: failure.accountFailures,
            windowMinutes: Math.round(limits.windowMs / 60_000),
            resetLink: accountLinks.forgotPassword(mail.linkOrigin),
          }),
        ),
      );
    }
    return err({ kind: "invalid-credentials", message: "Email or password is incorrect." });
  }
  await clearSignInFailures(db, email, client.ip);
  const user = toUser(row);
  const session = await createSession(db, policy.session, user.id, client, now);
  // Signing in again from a signed-in browser must not leave the old session alive.
  if (client.currentSessionId) await invalidateSession(db, client.currentSessionId);
  return ok({ user, ...session });
}

export async function updateProfile(
  db: Db,
  userId: UserId,
  raw: UpdateProfileInput,
): Promise<Result<User, ValidationFailure>> {
  const parsed = updateProfileInput.safeParse(raw);
  if (!parsed.success) return err(validationFailure(fieldErrorsFromIssues(parsed.error.issues)));
  const row = await updateUserDisplayName(db, userId, parsed.data.displayName);
  if (!row) throw new Error(`updateProfile: user ${userId} does not exist`);
  return ok(toUser(row));
}
