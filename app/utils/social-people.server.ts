import { data, redirect, type ActionFunctionArgs } from "@remix-run/node";
import type { FollowResult, MuteResult } from "#app/components/social/follow-buttons.tsx";
import { getProfileByHandle } from "#core/profiles/profile.service.ts";
import { follow, mute, unfollow, unmute } from "#core/social/follows.ts";
import type { SocialFailure } from "#core/social/social-types.ts";
import { backTo, failureStatus, requireActor } from "./social-requests.server.ts";

/**
 * Follow / unfollow and mute / unmute someone by handle. Forms without JavaScript send
 * `redirectTo` and go back there; fetchers get the new state.
 */
export async function personAction(
  { context, request, params }: ActionFunctionArgs,
  what: "follow" | "mute",
) {
  const handle = params.handle ?? "";
  const form = await request.formData();
  const viewer = requireActor(context, request, form, `/u/${handle}`);
  const hasRedirect = typeof form.get("redirectTo") === "string";
  const fail = (failure: Pick<SocialFailure, "code" | "message">) => {
    const status = failureStatus(failure);
    if (hasRedirect) throw new Response(failure.message, { status });
    return data({ ok: false as const, error: failure.message }, { status });
  };
  const { db } = context.services;
  const person = await getProfileByHandle(db, handle);
  if (!person) return fail({ code: "not_found", message: "That person does not exist." });
  const intent = form.get("intent");
  const userId = viewer.user.id;

  if (what === "follow") {
    if (intent !== "follow" && intent !== "unfollow") {
      return fail({ code: "invalid", message: "Say whether to follow or unfollow." });
    }
    const result =
      intent === "follow"
        ? await follow(context.services, userId, person.id)
        : await unfollow(context.services, userId, person.id);
    if (!result.ok) return fail(result.error);
    if (hasRedirect) throw redirect(backTo(form, request, `/u/${person.handle}`), 303);
    return {
      ok: true,
      following: result.value.following,
      followerCount: result.value.followerCount,
    } satisfies FollowResult;
  }

  if (intent !== "mute" && intent !== "unmute") {
    return fail({ code: "invalid", message: "Say whether to mute or unmute." });
  }
  if (intent === "mute") {
    const result = await mute(db, userId, person.id);
    if (!result.ok) return fail(result.error);
  } else {
    await unmute(db, userId, person.id);
  }
  if (hasRedirect) throw redirect(backTo(form, request, `/u/${person.handle}`), 303);
  return { ok: true, muted: intent === "mute" } satisfies MuteResult;
}
