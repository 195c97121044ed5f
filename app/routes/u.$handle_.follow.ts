import type { ActionFunctionArgs } from "@remix-run/node";
import { personAction } from "#app/utils/social-people.server.ts";

/** POST: follow or unfollow someone (`intent=follow|unfollow`). */
export const action = (args: ActionFunctionArgs) => personAction(args, "follow");
