import { decodeGlobalID } from "@pothos/plugin-relay";
import { parseUserId, type UserId } from "#core/auth/ids.ts";
import { parseId } from "#core/social/cursor.ts";
import type { SocialFailure } from "#core/social/social-types.ts";
import { builder } from "../builder.ts";
import type { GraphQLContext } from "../context.ts";
import {
  ErrorInterface,
  ForbiddenError,
  NotFoundError,
  NotSignedInError,
  ValidationError,
} from "./errors.ts";

// The typed errors of the social mutations, and how core's refusals become them.

/** A post can only be edited for a while after it was posted; deleting stays possible. */
export class EditWindowClosedError extends Error {}
/** Following, muting or reporting oneself, and the like. */
export class SelfActionError extends Error {}
/** Something one's trust level does not unlock yet (posting links takes level 1). */
export class TrustLevelTooLowError extends Error {
  constructor(
    message: string,
    readonly requiredTrustLevel: number,
  ) {
    super(message);
  }
}

builder.objectType(EditWindowClosedError, {
  name: "EditWindowClosedError",
  description: "Posts can be edited for 15 minutes after posting; this one can only be deleted.",
  interfaces: [ErrorInterface],
  fields: () => ({}),
});

builder.objectType(SelfActionError, {
  name: "SelfActionError",
  description: "The action makes no sense on yourself (following or reporting yourself).",
  interfaces: [ErrorInterface],
  fields: () => ({}),
});

builder.objectType(TrustLevelTooLowError, {
  name: "TrustLevelTooLowError",
  description:
    "Your trust level does not unlock this yet: posting links takes trust level 1. Nothing was written; `viewer.progress.trust` shows what the next level takes.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    requiredTrustLevel: t.exposeInt("requiredTrustLevel"),
  }),
});

/** Throws core's refusal as the typed error the mutation's result union carries. */
export function throwSocialFailure(failure: SocialFailure): never {
  switch (failure.code) {
    case "invalid":
      throw new ValidationError(failure.message, failure.fieldErrors ?? { "": [failure.message] });
    case "not_found":
      throw new NotFoundError(failure.message);
    case "forbidden":
      throw new ForbiddenError(failure.message);
    case "edit_window_closed":
      throw new EditWindowClosedError(failure.message);
    case "self_action":
      throw new SelfActionError(failure.message);
    case "trust_level_too_low":
      throw new TrustLevelTooLowError(failure.message, failure.requiredTrustLevel ?? 1);
  }
}

/** The signed-in user's id, or the NotSignedInError every social mutation can return. */
export function requireViewerId(context: GraphQLContext): UserId {
  if (!context.viewer) throw new NotSignedInError();
  return context.viewer.user.id;
}

type SocialNode = "Post" | "Comment" | "Notification" | "Report";
const nodeWords: Record<SocialNode, string> = {
  Post: "post",
  Comment: "comment",
  Notification: "notification",
  Report: "report",
};

function decodeTypename(globalId: string): { typename: string; id: string } | null {
  try {
    return decodeGlobalID(globalId);
  } catch {
    return null;
  }
}

/**
 * The database id inside a global id of the given type. Any other string (garbage, or
 * the id of another type) is a field error, so a client learns which argument is wrong.
 */
export function idFromGlobal(globalId: string, typename: SocialNode, field: string): bigint {
  const decoded = decodeTypename(globalId);
  const id = decoded?.typename === typename ? parseId(decoded.id) : null;
  if (id === null) {
    const message = `That is not a ${nodeWords[typename]} id.`;
    throw new ValidationError(message, { [field]: [message] });
  }
  return id;
}

/** A User's global id as a user id, or a field error. */
export function userIdFromGlobal(globalId: string, field: string): UserId {
  const decoded = decodeTypename(globalId);
  const id = decoded?.typename === "User" ? parseUserId(decoded.id) : null;
  if (id === null) {
    throw new ValidationError("That is not a user id.", { [field]: ["That is not a user id."] });
  }
  return id;
}
