import {
  signIn,
  signUp,
  type SignInFailure,
  type SignedIn,
  type SignUpFailure,
} from "#core/auth/account.service.ts";
import { sessionCookie } from "#core/auth/session-cookie.ts";
import { accountMailFor, type AccountMail } from "#core/auth/account-mail.ts";
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

function toGraphQLError(failure: SignUpFailure | SignInFailure): Error {
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

/** Mail for links back to this site; Yoga puts the Fetch request in the context. */
export function accountMailOf(context: GraphQLContext): AccountMail {
  const { request } = context as GraphQLContext & { request?: Request };
  if (!request) throw new Error("the GraphQL context carries no request");
  return accountMailFor(context.services, request);
}

builder.mutationFields((t) => ({
  signUp: t.field({
    type: AuthPayloadRef,
    description:
      "Creates an account, signs it in (sets the session cookie) and mails a link to verify " +
      "the address. Refused for disposable addresses and past the sign-up limits per " +
      "address and network.",
    args: { input: t.arg({ type: SignUpInputRef, required: true }) },
    errors: { types: [ValidationError, RateLimitedError] },
    resolve: async (_root, { input }, context) => {
      const result = await signUp(
        context.services.db,
        context.services.config,
        { ...input, displayName: input.displayName ?? undefined },
        context.client,
        { mail: accountMailOf(context) },
      );
      if (!result.ok) throw toGraphQLError(result.error);
      return startSession(context, result.value);
    },
  }),
  signIn: t.field({
    type: AuthPayloadRef,
    description:
      "Signs in with email and password (sets the session cookie). Repeated wrong passwords " +
      "from one address slow that address down (RateLimitedError.retryAfterSeconds); they " +
      "never lock the owner out elsewhere.",
    args: { input: t.arg({ type: SignInInputRef, required: true }) },
    errors: { types: [ValidationError, InvalidCredentialsError, RateLimitedError] },
    resolve: async (_root, { input }, context) => {
      const result = await signIn(
        context.services.db,
        context.services.config,
        input,
        { ...context.client, currentSessionId: context.viewer?.session.id ?? null },
        { mail: accountMailOf(context) },
      );
      if (!result.ok) throw toGraphQLError(result.error);
      return startSession(context, result.value);
    },
  }),
}));
