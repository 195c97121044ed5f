import type { Db } from "#db/create-db.ts";
import { verificationMessage } from "#core/mail/account-messages.ts";
import { err, ok, type Result } from "../result.ts";
import { accountLinks, type AccountMail } from "./account-mail.ts";
import {
  issueEmailToken,
  spendToken,
  VERIFY_EMAIL_TTL_MS,
  type LinkFailure,
} from "./email-token.ts";
import type { UserId } from "./ids.ts";
import { countAttempt } from "./rate-limit.repository.ts";
import { createSession, type NewSession, type SessionPolicy } from "./session.service.ts";
import { findUserById, markEmailVerified } from "./user.repository.ts";
import { toUser, type User } from "./user.ts";

const RESENDS_PER_HOUR = 5;
const HOUR_MS = 60 * 60 * 1000;

export type ResendFailure =
  | { kind: "already-verified"; message: string }
  | { kind: "rate-limited"; message: string; retryAfterSeconds: number }
  | { kind: "mail-failed"; message: string };

/** Mails `user` a single-use link that proves they own their address; rejects if mail fails. */
export async function sendVerificationEmail(
  db: Db,
  mail: AccountMail,
  user: Pick<User, "id" | "email" | "displayName">,
  now = new Date(),
): Promise<void> {
  const token = await issueEmailToken(db, "verify-email", user, now);
  await mail.mailer.send(
    verificationMessage({
      to: user.email,
      displayName: user.displayName,
      link: accountLinks.verifyEmail(mail.linkOrigin, token),
      validHours: VERIFY_EMAIL_TTL_MS / HOUR_MS,
    }),
  );
}

/** Spends a verification link and marks its address verified; a bad link changes nothing. */
export async function verifyEmail(
  db: Db,
  token: string,
  now = new Date(),
): Promise<Result<User, LinkFailure>> {
  return db.transaction().execute(async (trx) => {
    const spent = await spendToken(trx, "verify-email", token, now);
    if (!spent.ok) return spent;
    await markEmailVerified(trx, spent.value.user_id as UserId, spent.value.email, now);
    const row = await findUserById(trx, spent.value.user_id as UserId);
    if (!row) throw new Error(`verifyEmail: user ${spent.value.user_id} does not exist`);
    return ok(toUser(row));
  });
}

/**
 * Opens a session for the account whose verification link was just spent: the link proves
 * control of the mailbox, as a reset link does, and sign-up opens no session of its own.
 * Returns null, opening nothing, when this browser is signed in already (a link never
 * switches accounts) or the link did not verify the account's current address.
 */
export async function signInWithVerifiedEmail(
  db: Db,
  policy: SessionPolicy,
  verified: Pick<User, "id" | "emailVerifiedAt">,
  client: { ip: string | null; userAgent: string | null; isSignedIn: boolean },
  now = new Date(),
): Promise<NewSession | null> {
  if (client.isSignedIn || !verified.emailVerifiedAt) return null;
  return createSession(db, policy, verified.id, client, now);
}

/** Sends a fresh verification link to the signed-in person, at most five an hour. */
export async function resendVerificationEmail(
  db: Db,
  mail: AccountMail,
  userId: UserId,
  now = new Date(),
): Promise<Result<{ sentTo: string }, ResendFailure>> {
  const row = await findUserById(db, userId);
  if (!row) throw new Error(`resendVerificationEmail: user ${userId} does not exist`);
  if (row.email_verified_at) {
    return err({ kind: "already-verified", message: "Your email address is already verified." });
  }
  const sent = await countAttempt(db, `verify-email:resend:${userId}`, HOUR_MS, now);
  if (sent.attempts > RESENDS_PER_HOUR) {
    const seconds = Math.max(1, Math.ceil((sent.windowEndsAt.getTime() - now.getTime()) / 1000));
    const minutes = Math.ceil(seconds / 60);
    return err({
      kind: "rate-limited",
      message: `We already sent ${RESENDS_PER_HOUR} links this hour. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
      retryAfterSeconds: seconds,
    });
  }
  try {
    await sendVerificationEmail(db, mail, toUser(row), now);
  } catch {
    return err({
      kind: "mail-failed",
      message: "We could not send the email just now. Please try again in a few minutes.",
    });
  }
  return ok({ sentTo: row.email });
}
