import type { SignInLimits } from "#runtime/config.ts";
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
import { clearAttempts, countAttempt } from "./rate-limit.repository.ts";
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

export type AuthPolicy = { session: SessionPolicy; signInLimits: SignInLimits };
export type ClientInfo = {
  ip: string | null;
  userAgent: string | null;
  /** The session this browser already has, if any: a new sign-in replaces it. */
  currentSessionId?: SessionId | null;
};
export type SignedIn = { user: User } & NewSession;

export type SignUpFailure = ValidationFailure;
export type SignInFailure =
  | ValidationFailure
  | { kind: "invalid-credentials"; message: string }
  | { kind: "rate-limited"; message: string; retryAfterSeconds: number };

const takenMessages = {
  handle: "That handle is taken; try another.",
  email: "An account with this email already exists. Sign in instead?",
} as const;

function isUniqueViolation(error: unknown): error is { code: string; constraint?: string } {
  return (
    typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23505"
  );
}

/** Creates an account and its first session. Racing duplicates: one wins, the other gets a field error. */
export async function signUp(
  db: Db,
  policy: AuthPolicy,
  raw: SignUpInput,
  client: ClientInfo,
): Promise<Result<SignedIn, SignUpFailure>> {
  const parsed = signUpInput.safeParse(raw);
  if (!parsed.success) return err(validationFailure(fieldErrorsFromIssues(parsed.error.issues)));
  const input = parsed.data;

  const taken = await findTakenIdentifiers(db, input.handle, input.email);
  const takenErrors: FieldErrors = {};
  if (taken.isEmailTaken) takenErrors.email = [takenMessages.email];
  if (taken.isHandleTaken) takenErrors.handle = [takenMessages.handle];
  if (Object.keys(takenErrors).length > 0) return err(validationFailure(takenErrors));

  const passwordHash = await hashPassword(input.password);
  let user: User;
  try {
    user = toUser(
      await insertUser(db, {
        handle: input.handle,
        email: input.email,
        display_name: input.displayName ?? input.handle,
        password_hash: passwordHash,
      }),
    );
  } catch (error) {
    // Lost a race with an identical sign-up between the check and the insert.
    if (isUniqueViolation(error)) {
      const field = error.constraint === "users_handle_key" ? "handle" : "email";
      return err(validationFailure({ [field]: [takenMessages[field]] }));
    }
    throw error;
  }
  const session = await createSession(db, policy.session, user.id, client);
  return ok({ user, ...session });
}

function minutesFromNow(date: Date): number {
  return Math.max(1, Math.ceil((date.getTime() - Date.now()) / 60_000));
}

/** Checks credentials under per-account and per-IP attempt limits and opens a session. */
export async function signIn(
  db: Db,
  policy: AuthPolicy,
  raw: SignInInput,
  client: ClientInfo,
): Promise<Result<SignedIn, SignInFailure>> {
  const parsed = signInInput.safeParse(raw);
  if (!parsed.success) return err(validationFailure(fieldErrorsFromIssues(parsed.error.issues)));
  const { email, password } = parsed.data;
  const limits = policy.signInLimits;

  const accountKey = `sign-in:account:${email}`;
  const account = await countAttempt(db, accountKey, limits.windowMs);
  const ip = client.ip ? await countAttempt(db, `sign-in:ip:${client.ip}`, limits.windowMs) : null;
  const accountLimited = account.attempts > limits.perAccount;
  const ipLimited = ip !== null && ip.attempts > limits.perIp;
  if (accountLimited || ipLimited) {
    const until = accountLimited ? account.windowEndsAt : ip!.windowEndsAt;
    const minutes = minutesFromNow(until);
    const who = accountLimited ? "this account" : "your network";
    return err({
      kind: "rate-limited",
      message: `Too many sign-in attempts for ${who}. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
      retryAfterSeconds: Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000)),
    });
  }

  const row = await findUserByEmail(db, email);
  if (!row) {
    await burnPasswordCheck(password);
    return err({ kind: "invalid-credentials", message: "Email or password is incorrect." });
  }
  if (!(await verifyPassword(row.password_hash, password))) {
    return err({ kind: "invalid-credentials", message: "Email or password is incorrect." });
  }
  await clearAttempts(db, accountKey);
  const user = toUser(row);
  const session = await createSession(db, policy.session, user.id, client);
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
