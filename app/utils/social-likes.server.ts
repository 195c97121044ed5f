import { data, redirect, type ActionFunctionArgs } from "@remix-run/node";
import type { LikeResult } from "#app/components/social/types.ts";
import { rewardNote } from "#core/rewards/reward-note.ts";
import { like, unlike } from "#core/social/likes.ts";
import { backTo, failureStatus, requireActor, requireIdParam } from "./social-requests.server.ts";

/**
 * The like / unlike action for a post or a comment. A form without JavaScript sends
 * `redirectTo` and goes back there; a fetcher leaves it out and gets the new state and
 * what the like earned the liker.
 */
export async function likeAction(
  { context, request, params }: ActionFunctionArgs,
  kind: "post" | "comment",
) {
  const id = requireIdParam(kind === "post" ? params.postId : params.commentId);
  const form = await request.formData();
  const viewer = requireActor(context, request, form, kind === "post" ? `/p/${id}` : "/feed");
  const intent = form.get("intent");
  if (intent !== "like" && intent !== "unlike") {
    return data({ ok: false, error: "Say whether to like or unlike." } satisfies LikeResult, {
      status: 400,
    });
  }
  const target = { kind, id } as const;
  const result =
    intent === "like"
      ? await like(context.services, viewer.user.id, target)
      : await unlike(context.services, viewer.user.id, target);
  const hasRedirect = typeof form.get("redirectTo") === "string";
  if (!result.ok) {
    if (hasRedirect)
      throw new Response(result.error.message, { status: failureStatus(result.error) });
    return data({ ok: false, error: result.error.message } satisfies LikeResult, {
      status: failureStatus(result.error),
    });
  }
  if (hasRedirect) throw redirect(backTo(form, request, "/feed"), 303);
  return {
    ok: true,
    liked: result.value.liked,
    likeCount: result.value.likeCount,
    reward: rewardNote(result.value.reward, "like"),
  } satisfies LikeResult;
}
