import type { ActionFunctionArgs } from "@remix-run/node";
import { personAction } from "#app/utils/social-people.server.ts";

/** POST: mute or unmute someone (`intent=mute|unmute`): muted people leave your feeds. */
export const action = (args: ActionFunctionArgs) => personAction(args, "mute");
