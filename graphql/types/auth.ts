import { signIn, signUp, type SignInFailure, type SignedIn } from "#core/auth/account.service.ts";
import { sessionCookie } from "#core/auth/session-cookie.ts";
import type { User } from "#core/auth/user.ts";
import { grantWelcomeBonus } from "#core/rewards/check-in.ts";
import type { ValidationFailure } from "#core/result.ts";
import { builder } from "../builder.ts";
import type { GraphQLContext } from "../context.ts";
import { InvalidCredentialsError, RateLimitedError, ValidationError } from "./errors.ts";
import { UserRef } from "./user.ts";

const SignUpInputRef = builder.inputType("SignUpInput", {
  fields: (t) => ({
    email: t.string({ required: true }),
    handle: t.string({ required: true, description: "3–20 letters, digits or underscores." }),
    displayName: t.string({ required: false, description: "Defaults to the handle." }),
    password: t.string({ required: true, description: "At least 10 characters." }),
  }),
});

const SignInInputRef = builder.inputType("SignInInput", {
  fields: (t) => ({
    email: t.string({ required: true }),
    password: t.string({ required: true }),
  }),
});

export const AuthPayloadRef = builder.objectRef<SignedIn>("AuthPayload").implement({
  description: "A new session; its cookie is set on the response (HttpOnly, never in the body).",
  fields: (t) => ({
    user: t.field({ type: UserRef, resolve: (signedIn) => signedIn.user }),
    sessionExpiresAt: t.field({
      type: "DateTime",
      description: "When the session ends if unused; each use moves this forward.",
      resolve: (signedIn) => signedIn.session.expiresAt,
    }),
  }),
});

function toGraphQLError(failure: ValidationFailure | SignInFailure): Error {
  switch (failure.kind) {
    case "validation":
      return new ValidationError(failure.message, failure.fieldErrors);
    case "invalid-credentials":
      return new InvalidCredentialsError(failure.message);
    case "rate-limited":
      return new RateLimitedError(failure.message, failure.retryAfterSeconds);
  }
}

function startSession(context: GraphQLContext, signedIn: SignedIn): SignedIn {
  context.responseCookies.push(sessionCookie(signedIn, context.services.config.cookieSecure));
  return signedIn;
}

/** The welcome bonus is a gift, not a condition: failing to grant it never fails the sign-up. */
async function welcomeNewUser(context: GraphQLContext, user: User): Promise<void> {
  const { rewards, logger } = context.services;
  try {
    const result = await grantWelcomeBonus(rewards, user);
    if (!result.ok) {
      logger.error(
        { requestId: context.requestId, userId: user.id, error: result.error },
        "welcome bonus not granted",
      );
    }
  } catch (error) {
    logger.error(
      { requestId: context.requestId, userId: user.id, err: error },
      "welcome bonus failed",
    );
  }
}

builder.mutationFields((t) => ({
  signUp: t.field({
    type: AuthPayloadRef,
    description: "Creates an account and signs it in (sets the session cookie).",
    args: { input: t.arg({ type: SignUpInputRef, required: true }) },
    errors: { types: [ValidationError] },
    resolve: async (_root, { input }, context) => {
      const result = await signUp(
        context.services.db,
        context.services.config,
        { ...input, displayName: input.displayName ?? undefined },
        context.client,
      );
      if (!result.ok) throw toGraphQLError(result.error);
      await welcomeNewUser(context, result.value.user);
      return startSession(context, result.value);
    },
  }),
  signIn: t.field({
    type: AuthPayloadRef,
    description: "Signs in with email and password (sets the session cookie).",
    args: { input: t.arg({ type: SignInInputRef, required: true }) },
    errors: { types: [ValidationError, InvalidCredentialsError, RateLimitedError] },
    resolve: async (_root, { input }, context) => {
      const result = await signIn(context.services.db, context.services.config, input, {
        ...context.client,
        currentSessionId: context.viewer?.session.id ?? null,
      });
      if (!result.ok) throw toGraphQLError(result.error);
      return startSession(context, result.value);
    },
  }),
}));
