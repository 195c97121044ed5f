import type { SignInLimits, SignUpLimits } from "#runtime/config.ts";
import { signInAlertMessage, verificationMessage } from "#core/mail/account-messages.ts";
import type { Db } from "#db/create-db.ts";
import {
  err,
  fieldErrorsFromIssues,
  ok,
  validationFailure,
  type FieldErrors,
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
  findTakenIdentifiers,
  findUserByEmail,
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

const takenMessages = {
  handle: "That handle is taken; try another.",
  email: "An account with this email already exists. Sign in instead?",
} as const;

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

/**
 * Creates an account and its first session, and mails a verification link. Refused past
 * the sign-up limits (address, network, browser) or for a disposable address, writing
 * nothing. Racing duplicates: one wins, the other gets a field error.
 */
export async function signUp(
  db: Db,
  policy: AuthPolicy,
  raw: SignUpInput,
  client: ClientInfo,
  options: AccountOptions = {},
): Promise<Result<SignedIn, SignUpFailure>> {
  const now = options.now ?? new Date();
  const parsed = signUpInput.safeParse(raw);
  if (!parsed.success) return err(validationFailure(fieldErrorsFromIssues(parsed.error.issues)));
  const input = parsed.data;
  if (isDisposableEmail(input.email)) {
    return err(validationFailure({ email: [disposableEmailMessage] }));
  }

  const taken = await findTakenIdentifiers(db, input.handle, input.email);
  const takenErrors: FieldErrors = {};
  if (taken.isEmailTaken) takenErrors.email = [takenMessages.email];
  if (taken.isHandleTaken) takenErrors.handle = [takenMessages.handle];
  if (Object.keys(takenErrors).length > 0) return err(validationFailure(takenErrors));

  const passwordHash = await hashPassword(input.password);
  let user: User;
  let verificationToken: string;
  try {
    ({ user, verificationToken } = await db.transaction().execute(async (trx) => {
      const refused = await countSignUp(trx, policy.signUpLimits, client, now);
      if (refused) throw new SignUpRefusedError(refused);
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
      return { user: created, verificationToken: token };
    }));
  } catch (error) {
    if (error instanceof SignUpRefusedError) return err(error.refusal);
    // Lost a race with an identical sign-up between the check and the insert.
    if (isUniqueViolation(error)) {
      const field = error.constraint === "users_handle_key" ? "handle" : "email";
      return err(validationFailure({ [field]: [takenMessages[field]] }));
    }
    throw error;
  }
  const session = await createSession(db, policy.session, user.id, client, now);
  const mail = options.mail;
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
  return ok({ user, ...session });
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
