import { z } from "zod";
import { parseId } from "#core/social/cursor.ts";

// An empty box reaches the schema as undefined (Conform drops empty fields); core's own
// check of the text then says what to write, as it does for every other door.
const body = z.string().optional().default("");

const id = (message: string) =>
  z.string({ error: message }).transform((value, ctx) => {
    const parsed = parseId(value);
    if (parsed === null) ctx.addIssue({ code: "custom", message });
    return parsed ?? z.NEVER;
  });

/** A comment on the post, or a reply to one of its comments. */
export const commentInput = (isReply: boolean) =>
  z.object({
    body,
    parentId: isReply
      ? id("That reply is not to a comment here.")
      : z
          .unknown()
          .optional()
          .transform(() => null),
  });

export const editPostInput = z.object({ body });

export const deleteCommentInput = z.object({ commentId: id("That comment does not exist.") });

/** Core's refusal of a text as field errors on the box. */
export const bodyErrors = (failure: { message: string; fieldErrors?: Record<string, string[]> }) =>
  failure.fieldErrors ?? { body: [failure.message] };

/** A refused form's one message, for the alert at the top of the page. */
export const firstError = (
  result: { error?: Record<string, string[] | null> | null },
  fallback: string,
) => Object.values(result.error ?? {}).flatMap((errors) => errors ?? [])[0] ?? fallback;
