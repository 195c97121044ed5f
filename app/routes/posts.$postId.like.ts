import type { ActionFunctionArgs } from "@remix-run/node";
import { likeAction } from "#app/utils/social-likes.server.ts";

/** POST: like or unlike a post (`intent=like|unlike`). */
export const action = (args: ActionFunctionArgs) => likeAction(args, "post");
