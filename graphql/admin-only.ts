import type { UserId } from "#core/auth/ids.ts";
import type { GraphQLContext } from "./context.ts";
import { ForbiddenError, NotSignedInError } from "./types/errors.ts";

/**
 * Options for an admin-only mutation: scope-auth checks the admin scope, and its refusal is
 * one of the mutation's typed errors (NotSignedInError, or ForbiddenError "Only admins can
 * <what>."), so the field must list both in `errors`. Admin-only queries use plain
 * `authScopes: { admin: true }` and answer FORBIDDEN.
 */
export function adminOnly(what: string) {
  return {
    authScopes: { admin: true },
    unauthorizedError: (_parent: unknown, _args: unknown, context: GraphQLContext) =>
      context.viewer ? new ForbiddenError(`Only admins can ${what}.`) : new NotSignedInError(),
  };
}

/** The admin running an `adminOnly` field; scope-auth has already refused everyone else. */
export function adminId(context: GraphQLContext): UserId {
  if (!context.viewer?.user.isAdmin) throw new Error("adminId outside an adminOnly field");
  return context.viewer.user.id;
}
