import type { FieldErrors } from "#core/result.ts";
import { builder } from "../builder.ts";

// Expected failures are members of each mutation's result union, so clients must handle them.

export class ValidationError extends Error {
  constructor(
    message: string,
    readonly fieldErrors: FieldErrors,
  ) {
    super(message);
  }
}
export class InvalidCredentialsError extends Error {}
export class RateLimitedError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
export class NotSignedInError extends Error {
  constructor() {
    super("Sign in first.");
  }
}
/** The viewer is signed in but may not do this (e.g. an admin-only mutation). */
export class ForbiddenError extends Error {
  constructor(message = "You are not allowed to do this.") {
    super(message);
  }
}
/** What was asked for does not exist, or is not the viewer's (the two look the same). */
export class NotFoundError extends Error {}

export const ErrorInterface = builder.interfaceRef<Error>("Error").implement({
  description: "Something the client asked for that could not be done, in words to show the user.",
  fields: (t) => ({ message: t.exposeString("message") }),
});

const FieldErrorRef = builder
  .objectRef<{ field: string; messages: string[] }>("FieldError")
  .implement({
    description: "What is wrong with one input field. An empty field name means the whole input.",
    fields: (t) => ({
      field: t.exposeString("field"),
      messages: t.exposeStringList("messages"),
    }),
  });

builder.objectType(ValidationError, {
  name: "ValidationError",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    fieldErrors: t.field({
      type: [FieldErrorRef],
      resolve: (error) =>
        Object.entries(error.fieldErrors).map(([field, messages]) => ({ field, messages })),
    }),
  }),
});

builder.objectType(InvalidCredentialsError, {
  name: "InvalidCredentialsError",
  interfaces: [ErrorInterface],
  fields: () => ({}),
});

builder.objectType(RateLimitedError, {
  name: "RateLimitedError",
  interfaces: [ErrorInterface],
  fields: (t) => ({ retryAfterSeconds: t.exposeInt("retryAfterSeconds") }),
});

builder.objectType(NotSignedInError, {
  name: "NotSignedInError",
  interfaces: [ErrorInterface],
  fields: () => ({}),
});

builder.objectType(ForbiddenError, {
  name: "ForbiddenError",
  interfaces: [ErrorInterface],
  fields: () => ({}),
});

builder.objectType(NotFoundError, {
  name: "NotFoundError",
  interfaces: [ErrorInterface],
  fields: () => ({}),
});
