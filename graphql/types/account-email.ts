import {
  resendVerificationEmail,
  signInWithVerifiedEmail,
} from "#core/auth/email-verification.service.ts";
import { sessionCookie } from "#core/auth/session-cookie.ts";
import { confirmEmailAndActivate } from "#core/integrity/activation.ts";
import type { LinkFailure } from "#core/auth/email-token.ts";
import { requestPasswordReset, resetPassword } from "#core/auth/password-reset.service.ts";
import type { User } from "#core/auth/user.ts";
import { builder } from "../builder.ts";
import { accountMailOf } from "./auth.ts";
import { ErrorInterface, NotSignedInError, RateLimitedError, ValidationError } from "./errors.ts";
import { UserRef } from "./user.ts";

/** A link from an email that cannot be used: forged, already used, or expired. */
export class InvalidLinkError extends Error {
  constructor(readonly failure: LinkFailure) {
    super(failure.message);
  }
}

/** The mail could not be handed to the mail server; nothing else failed. */
export class MailNotSentError extends Error {}

const LinkProblemRef = builder.enumType("LinkProblem", {
  values: {
    UNKNOWN: { value: "unknown", description: "No such link: mistyped, cut short or forged." },
    USED: { value: "used", description: "The link worked once already; links are single-use." },
    EXPIRED: { value: "expired", description: "The link is past its time; ask for a new one." },
  } as const,
});

builder.objectType(InvalidLinkError, {
  name: "InvalidLinkError",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    problem: t.field({ type: LinkProblemRef, resolve: (error) => error.failure.reason }),
  }),
});

builder.objectType(MailNotSentError, {
  name: "MailNotSentError",
  interfaces: [ErrorInterface],
  fields: () => ({}),
});

const VerifyEmailPayloadRef = builder
  .objectRef<{ user: User; isSignedIn: boolean }>("VerifyEmailPayload")
  .implement({
    fields: (t) => ({
      user: t.field({ type: UserRef, resolve: (verified) => verified.user }),
      isSignedIn: t.exposeBoolean("isSignedIn", {
        description: "Whether this link signed the caller in (only when it was signed out).",
      }),
    }),
  });

const ResendVerificationPayloadRef = builder
  .objectRef<{ sentTo: string | null; isAlreadyVerified: boolean }>("ResendVerificationPayload")
  .implement({
    fields: (t) => ({
      sentTo: t.exposeString("sentTo", {
        nullable: true,
        description: "The address a new link went to; null when it was verified already.",
      }),
      isAlreadyVerified: t.exposeBoolean("isAlreadyVerified"),
    }),
  });

const RequestPasswordResetPayloadRef = builder
  .objectRef<{ message: string }>("RequestPasswordResetPayload")
  .implement({
    description: "The same answer whether or not an account uses the address.",
    fields: (t) => ({ message: t.exposeString("message") }),
  });

const ResetPasswordPayloadRef = builder
  .objectRef<{ user: User; signedOutSessions: number }>("ResetPasswordPayload")
  .implement({
    fields: (t) => ({
      user: t.field({ type: UserRef, resolve: (reset) => reset.user }),
      signedOutSessions: t.exposeInt("signedOutSessions", {
        description: "Sessions ended by the reset: every device has to sign in again.",
      }),
    }),
  });

builder.mutationFields((t) => ({
  verifyEmail: t.field({
    type: VerifyEmailPayloadRef,
    description:
      "Spends the token from a verification email and marks its address verified. A " +
      "signed-out caller is signed in to that account (sets the session cookie): the link " +
      "proves control of the mailbox.",
    args: { token: t.arg.string({ required: true }) },
    errors: { types: [InvalidLinkError] },
    resolve: async (_root, { token }, context) => {
      const result = await confirmEmailAndActivate(context.services, token);
      if (!result.ok) throw new InvalidLinkError(result.error);
      const { user } = result.value;
      const { services } = context;
      const signedIn = await signInWithVerifiedEmail(services.db, services.config.session, user, {
        ...context.client,
        isSignedIn: context.viewer !== null,
      });
      if (signedIn) {
        context.responseCookies.push(sessionCookie(signedIn, services.config.cookieSecure));
      }
      return { user, isSignedIn: signedIn !== null };
    },
  }),
  resendVerificationEmail: t.field({
    type: ResendVerificationPayloadRef,
    description: "Mails the signed-in user a new verification link (at most five an hour).",
    errors: { types: [NotSignedInError, RateLimitedError, MailNotSentError] },
    resolve: async (_root, _args, context) => {
      if (!context.viewer) throw new NotSignedInError();
      const result = await resendVerificationEmail(
        context.services.db,
        accountMailOf(context),
        context.viewer.user.id,
      );
      if (result.ok) return { sentTo: result.value.sentTo, isAlreadyVerified: false };
      const failure = result.error;
      switch (failure.kind) {
        case "already-verified":
          return { sentTo: null, isAlreadyVerified: true };
        case "rate-limited":
          throw new RateLimitedError(failure.message, failure.retryAfterSeconds);
        case "mail-failed":
          throw new MailNotSentError(failure.message);
      }
    },
  }),
  requestPasswordReset: t.field({
    type: RequestPasswordResetPayloadRef,
    description:
      "Mails a single-use reset link (valid 30 minutes) if an account uses the address. " +
      "Answers the same for unknown addresses.",
    args: { email: t.arg.string({ required: true }) },
    errors: { types: [ValidationError] },
    resolve: async (_root, { email }, context) => {
      const result = await requestPasswordReset(context.services.db, accountMailOf(context), {
        email,
      });
      if (!result.ok) throw new ValidationError(result.error.message, result.error.fieldErrors);
      return result.value;
    },
  }),
  resetPassword: t.field({
    type: ResetPasswordPayloadRef,
    description:
      "Sets a new password with the token from a reset email and signs the account out " +
      "everywhere. Does not sign in: sign in with the new password.",
    args: {
      token: t.arg.string({ required: true }),
      newPassword: t.arg.string({ required: true }),
    },
    errors: { types: [ValidationError, InvalidLinkError] },
    resolve: async (_root, args, context) => {
      const result = await resetPassword(context.services.db, args);
      if (result.ok) return result.value;
      if (result.error.kind === "invalid-link") throw new InvalidLinkError(result.error);
      throw new ValidationError(result.error.message, result.error.fieldErrors);
    },
  }),
}));
