import type { ActionFunctionArgs } from "@remix-run/node";
import { likeAction } from "#app/utils/social-likes.server.ts";

/** POST: like or unlike a comment (`intent=like|unlike`). */
export const action = (args: ActionFunctionArgs) => likeAction(args, "comment");
