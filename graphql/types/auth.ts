import {
  signIn,
  signUp,
  type SignInFailure,
  type SignedIn,
  type SignUpFailure,
  type SignUpStarted,
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

const SignUpStartedRef = builder.objectRef<SignUpStarted>("SignUpStarted").implement({
  description:
    "Sign-up went through: a link is on its way to the address. The same answer whether the " +
    "address was new (the link finishes the sign-up and signs in) or already had an account " +
    "(its owner is told so by mail); no session is opened either way.",
  fields: (t) => ({
    email: t.exposeString("email", { description: "The address the mail went to, normalised." }),
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
    type: SignUpStartedRef,
    description:
      "Creates an account and mails a link that verifies the address and signs in; signs " +
      "nothing in itself (sign in with the password, or follow the link). For an address " +
      "that already has an account it creates nothing, mails the owner instead and answers " +
      "the same. A taken handle is a ValidationError. Refused for disposable addresses and " +
      "past the sign-up limits per address and network, which every attempt counts against.",
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
      return result.value;
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
