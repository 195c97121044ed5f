import { data, redirect, type ActionFunctionArgs } from "@remix-run/node";
import type { RepostResult } from "#app/components/social/repost-button.tsx";
import {
  backTo,
  failureStatus,
  requireActor,
  requireIdParam,
} from "#app/utils/social-requests.server.ts";
import { getVisiblePost, repost } from "#core/social/posts.ts";

/**
 * POST: share a post to the viewer's followers. A form without JavaScript comes back to
 * its `redirectTo`; a fetcher gets the original's new repost count.
 */
export async function action({ context, request, params }: ActionFunctionArgs) {
  const postId = requireIdParam(params.postId);
  const form = await request.formData();
  const viewer = requireActor(context, request, form, `/p/${postId}`);
  const result = await repost(context.services, viewer.user.id, postId);
  const hasRedirect = typeof form.get("redirectTo") === "string";
  if (!result.ok) {
    const status = failureStatus(result.error);
    if (hasRedirect) throw new Response(result.error.message, { status });
    return data({ ok: false, error: result.error.message } satisfies RepostResult, { status });
  }
  if (hasRedirect) throw redirect(backTo(form, request, "/feed"), 303);
  const original = await getVisiblePost(context.services, result.value.repostOfId ?? postId);
  return { ok: true, repostCount: original?.repostCount ?? 0 } satisfies RepostResult;
}
