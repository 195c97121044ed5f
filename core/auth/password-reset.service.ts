import { z } from "zod";
import type { Db } from "#db/create-db.ts";
import { passwordResetMessage } from "#core/mail/account-messages.ts";
import {
  err,
  fieldErrorsFromIssues,
  ok,
  validationFailure,
  type Result,
  type ValidationFailure,
} from "../result.ts";
import { accountLinks, sendInBackground, type AccountMail } from "./account-mail.ts";
import { emailField } from "./account-input.ts";
import {
  issueEmailToken,
  RESET_PASSWORD_TTL_MS,
  spendToken,
  type LinkFailure,
} from "./email-token.ts";
import type { UserId } from "./ids.ts";
import { hashPassword } from "./password-hash.ts";
import { PASSWORD_MAX_LENGTH, passwordProblem } from "./password-policy.ts";
import { countAttempt } from "./rate-limit.repository.ts";
import { deleteSessionsOfUser } from "./session.repository.ts";
import {
  findUserByEmail,
  findUserById,
  markEmailVerified,
  updatePasswordHash,
} from "./user.repository.ts";
import { toUser, type User } from "./user.ts";

const HOUR_MS = 60 * 60 * 1000;
// Enough for a person who lost a mail or two; too few to flood someone's inbox.
const RESET_MAILS_PER_ADDRESS_PER_HOUR = 3;

export const requestPasswordResetInput = z.object({ email: emailField });
export type RequestPasswordResetInput = z.input<typeof requestPasswordResetInput>;

export const resetPasswordInput = z.object({
  token: z
    .string({ error: "The reset link is missing its token." })
    .min(1, "The reset link is missing its token."),
  newPassword: z
    .string({ error: "Enter a new password." })
    .min(1, "Enter a new password.")
    .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`),
});
export type ResetPasswordInput = z.input<typeof resetPasswordInput>;

/** The one answer to every reset request, known address or not. */
export const resetRequestedMessage =
  "If an account uses that address, we have sent it a link to reset the password. The link works for 30 minutes.";

export type ResetPasswordFailure = ValidationFailure | LinkFailure;

/**
 * Mails a reset link when the address belongs to an account. Answers the same, and as
 * fast, for unknown addresses: the mail goes out in the background, so neither the words
 * nor the timing tell anyone which addresses have accounts.
 */
export async function requestPasswordReset(
  db: Db,
  mail: AccountMail,
  raw: RequestPasswordResetInput,
  now = new Date(),
): Promise<Result<{ message: string }, ValidationFailure>> {
  const parsed = requestPasswordResetInput.safeParse(raw);
  if (!parsed.success) return err(validationFailure(fieldErrorsFromIssues(parsed.error.issues)));
  const { email } = parsed.data;
  const sent = await countAttempt(db, `password-reset:email:${email}`, HOUR_MS, now);
  const row =
    sent.attempts <= RESET_MAILS_PER_ADDRESS_PER_HOUR
      ? await findUserByEmail(db, email)
      : undefined;
  if (row) {
    const token = await issueEmailToken(db, "reset-password", { id: row.id as UserId, email }, now);
    sendInBackground(mail, (mailer) =>
      mailer.send(
        passwordResetMessage({
          to: email,
          link: accountLinks.resetPassword(mail.linkOrigin, token),
          validMinutes: RESET_PASSWORD_TTL_MS / 60_000,
        }),
      ),
    );
  }
  return ok({ message: resetRequestedMessage });
}

/**
 * Sets a new password from a reset link and signs the account out everywhere, in one
 * transaction. The link is spent only when the new password is acceptable; a bad link
 * or a refused password changes nothing. Following the link also proves the address.
 */
export async function resetPassword(
  db: Db,
  raw: ResetPasswordInput,
  now = new Date(),
): Promise<Result<{ user: User; signedOutSessions: number }, ResetPasswordFailure>> {
  const parsed = resetPasswordInput.safeParse(raw);
  if (!parsed.success) return err(validationFailure(fieldErrorsFromIssues(parsed.error.issues)));
  const { token, newPassword } = parsed.data;
  return db
    .transaction()
    .execute(async (trx) => {
      const spent = await spendToken(trx, "reset-password", token, now);
      if (!spent.ok) return spent;
      const userId = spent.value.user_id as UserId;
      const current = await findUserById(trx, userId);
      if (!current) throw new Error(`resetPassword: user ${userId} does not exist`);
      const problem = passwordProblem(newPassword, {
        handle: current.handle,
        email: current.email,
      });
      if (problem) throw new RefusedPassword(problem);
      // Hashed only past the link check, so forged links cost no argon2 time.
      await updatePasswordHash(trx, userId, await hashPassword(newPassword), now);
      await markEmailVerified(trx, userId, spent.value.email, now);
      const signedOutSessions = await deleteSessionsOfUser(trx, userId);
      const row = await findUserById(trx, userId);
      if (!row) throw new Error(`resetPassword: user ${userId} does not exist`);
      return ok({ user: toUser(row), signedOutSessions });
    })
    .catch((error: unknown) => {
      // Thrown to roll back the spent token: the person may try another password with the same link.
      if (error instanceof RefusedPassword) {
        return err(validationFailure({ newPassword: [error.message] }));
      }
      throw error;
    });
}

class RefusedPassword extends Error {}
