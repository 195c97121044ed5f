import type { CommentData, CommentThreadData } from "#app/components/social/comment-thread.tsx";
import { personSummary, toPieces } from "#app/utils/social-cards.server.ts";
import { timeStamp } from "#app/utils/time-stamp.server.ts";
import type { UserId } from "#core/auth/ids.ts";
import type { CommentView } from "#core/social/post-views.ts";
import type { Comment } from "#core/social/social-types.ts";

function commentData(view: CommentView, viewerId: UserId | null, now: Date): CommentData {
  return {
    key: String(view.comment.id),
    id: String(view.comment.id),
    author: personSummary(view.author),
    time: timeStamp(view.comment.createdAt, now),
    pieces: toPieces(view.segments),
    likeCount: view.comment.likeCount,
    viewerHasLiked: view.viewerHasLiked,
    isOwn: viewerId !== null && view.comment.authorId === viewerId,
  };
}

/**
 * A page of comments arrives as each thread followed by its replies: grouped back into
 * threads here. A reply whose thread is not on this page is left out.
 */
export function commentThreads(
  comments: readonly Comment[],
  views: readonly CommentView[],
  viewerId: UserId | null,
  now: Date,
): CommentThreadData[] {
  const parents = new Map(
    comments.map((c) => [String(c.id), c.parentId ? String(c.parentId) : null]),
  );
  const threads: CommentThreadData[] = [];
  const byId = new Map<string, CommentThreadData>();
  for (const view of views.map((v) => commentData(v, viewerId, now))) {
    const parentId = parents.get(view.id) ?? null;
    const parent = parentId ? byId.get(parentId) : undefined;
    if (parent) {
      parent.replies.push(view);
    } else if (!parentId) {
      const thread = { ...view, replies: [] };
      byId.set(view.id, thread);
      threads.push(thread);
    }
  }
  return threads;
}
