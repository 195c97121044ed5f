import type { UserId } from "#core/auth/ids.ts";
import { err, ok, type Result } from "#core/result.ts";
import type { RewardOutcome } from "#core/rewards/reward-types.ts";
import type { Db } from "#db/create-db.ts";
import { decodeIdCursor, encodeCursor } from "./cursor.ts";
import { linkFailure } from "./link-trust.ts";
import { notify, type NewNotification } from "./notifications.ts";
import {
  findCommentsByIds,
  findLiveCommentOn,
  findLiveReplies,
  findThreadStarts,
  insertComment,
  lockComment,
  markCommentDeleted,
} from "./comments.repository.ts";
import { findPeople, findPeopleByHandles } from "./people.repository.ts";
import { bumpPostCounters, lockLivePost } from "./posts.repository.ts";
import { COMMENT_MAX_LENGTH } from "#shared/text-limits.ts";
import { mentionsOf, normaliseBody } from "./post-text.ts";
import { reverseCommentReward, rewardComment } from "./social-rewards.ts";
import type { SocialServices } from "./social-services.ts";
import {
  notFound,
  type Comment,
  type CommentId,
  type Page,
  type PostId,
  type SocialFailure,
} from "./social-types.ts";

export type CommentCreated = { comment: Comment; reward: RewardOutcome | null };

/**
 * Comments on a post, or replies to a comment (one level: a reply to a reply joins
 * the thread of the top-level comment). Pays the commenter, except on their own post.
 */
export async function createComment(
  deps: SocialServices,
  authorId: UserId,
  input: { postId: PostId; parentId?: CommentId | null; body: unknown },
): Promise<Result<CommentCreated, SocialFailure>> {
  const body = normaliseBody(input.body, COMMENT_MAX_LENGTH, "comment");
  if (!body.ok)
    return err({ code: "invalid", message: body.message, fieldErrors: { body: [body.message] } });
  const refusal = await linkFailure(deps, authorId, body.text, deps.rewards.now());
  if (refusal) return err(refusal);
  type Written = { comment: Comment; postAuthorId: UserId; parentAuthorId: UserId | null };
  const written = await deps.db
    .transaction()
    .execute(async (trx): Promise<Result<Written, SocialFailure>> => {
      const post = await lockLivePost(trx, input.postId);
      if (!post) return err(notFound("post"));
      if (post.repostOfId !== null) {
        return err({ code: "invalid", message: "Comment on the original post, not on a repost." });
      }
      let parentId: CommentId | null = null;
      let parentAuthorId: UserId | null = null;
      if (input.parentId != null) {
        const parent = await findLiveCommentOn(trx, input.postId, input.parentId);
        if (!parent) return err(notFound("comment"));
        parentId = parent.parentId ?? parent.id;
        parentAuthorId = parent.authorId;
      }
      const comment = await insertComment(trx, {
        postId: input.postId,
        authorId,
        parentId,
        body: body.text,
      });
      await bumpPostCounters(trx, input.postId, { comments: 1 });
      return ok({ comment, postAuthorId: post.authorId, parentAuthorId });
    });
  if (!written.ok) return written;
  const { comment, postAuthorId, parentAuthorId } = written.value;

  let reward: RewardOutcome | null = null;
  if (postAuthorId !== authorId) {
    const people = await findPeople(deps.db, [postAuthorId]);
    const outcome = await rewardComment(deps, {
      id: comment.id,
      postId: comment.postId,
      authorId,
      postAuthorName: people.get(postAuthorId)?.displayName ?? "someone",
    });
    reward = outcome.ok ? outcome.value : null;
  }
  const notifications: NewNotification[] = [
    {
      userId: postAuthorId,
      kind: "comment",
      actorId: authorId,
      postId: comment.postId,
      commentId: comment.id,
      dedupeKey: `comment:${comment.id}`,
    },
  ];
  if (parentAuthorId && parentAuthorId !== postAuthorId) {
    notifications.push({
      userId: parentAuthorId,
      kind: "reply",
      actorId: authorId,
      postId: comment.postId,
      commentId: comment.id,
      dedupeKey: `reply:${comment.id}`,
    });
  }
  const mentioned = await findPeopleByHandles(deps.db, mentionsOf(comment.body));
  for (const person of mentioned) {
    if (person.id === postAuthorId || person.id === parentAuthorId) continue;
    notifications.push({
      userId: person.id,
      kind: "mention",
      actorId: authorId,
      postId: comment.postId,
      commentId: comment.id,
      dedupeKey: `mention:comment:${comment.id}:${person.id}`,
    });
  }
  await notify(deps, notifications);
  return ok({ comment, reward });
}

/** The author deletes their comment; its reward is reversed while held. Idempotent. */
export async function deleteComment(
  deps: SocialServices,
  userId: UserId,
  commentId: CommentId,
): Promise<Result<Comment, SocialFailure>> {
  type Deleted = { comment: Comment; wasDeleted: boolean };
  const result = await deps.db
    .transaction()
    .execute(async (trx): Promise<Result<Deleted, SocialFailure>> => {
      const comment = await lockComment(trx, commentId);
      if (!comment) return err(notFound("comment"));
      if (comment.authorId !== userId) {
        return err({ code: "forbidden", message: "Only its author can delete a comment." });
      }
      if (comment.deletedAt !== null) return ok({ comment, wasDeleted: false });
      const deleted = await markCommentDeleted(trx, commentId, new Date());
      if (comment.hiddenAt === null) await bumpPostCounters(trx, comment.postId, { comments: -1 });
      return ok({ comment: deleted, wasDeleted: true });
    });
  if (!result.ok) return result;
  if (result.value.wasDeleted) await reverseCommentReward(deps.db, commentId);
  return ok(result.value.comment);
}

/**
 * A post's visible comments in conversation order: top-level comments oldest first,
 * each followed by its replies. Pages by the top-level comment.
 */
export async function listComments(
  db: Db,
  postId: PostId,
  page: { limit: number; after?: string | null },
): Promise<Page<Comment>> {
  const after = page.after ? decodeIdCursor(page.after) : 0n;
  const threads = await findThreadStarts(db, postId, after, page.limit + 1);
  const shown = threads.slice(0, page.limit);
  const replies = await findLiveReplies(
    db,
    shown.map((t) => t.id),
  );
  const byParent = new Map<string, Comment[]>();
  for (const reply of replies) {
    const key = String(reply.parentId);
    byParent.set(key, [...(byParent.get(key) ?? []), reply]);
  }
  const items = shown.flatMap((t) => [t, ...(byParent.get(String(t.id)) ?? [])]);
  const last = shown.at(-1);
  return {
    items,
    nextCursor: threads.length > page.limit && last ? encodeCursor([String(last.id)]) : null,
  };
}

/** Comments by id as stored, deleted and hidden ones included (a moderator's queue still shows them). */
export function getCommentsByIds(db: Db, ids: readonly CommentId[]): Promise<Comment[]> {
  return findCommentsByIds(db, ids);
}
