import type { UserId } from "#core/auth/ids.ts";
import { err, ok, type Result } from "#core/result.ts";
import type { RewardOutcome } from "#core/rewards/reward-types.ts";
import type { Db } from "#db/create-db.ts";
import { decodeIdCursor, encodeCursor } from "./cursor.ts";
import { linkFailure } from "./link-trust.ts";
import { notify, type NewNotification } from "./notifications.ts";
import { findPeople, findPeopleByHandles } from "./people.ts";
import { bumpPostCounters, lockLivePost, toComment } from "./post-rows.ts";
import { COMMENT_MAX_LENGTH } from "#shared/text-limits.ts";
import { mentionsOf, normaliseBody } from "./post-text.ts";
import { reverseCommentReward, rewardComment } from "./social-rewards.ts";
import type { SocialDeps } from "./social-deps.ts";
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
  deps: SocialDeps,
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
        const parent = await trx
          .selectFrom("comments")
          .selectAll()
          .where("id", "=", input.parentId)
          .where("post_id", "=", input.postId)
          .where("deleted_at", "is", null)
          .where("hidden_at", "is", null)
          .executeTakeFirst();
        if (!parent) return err(notFound("comment"));
        parentId = parent.parent_id ?? parent.id;
        parentAuthorId = parent.author_id as UserId;
      }
      const row = await trx
        .insertInto("comments")
        .values({
          post_id: input.postId,
          author_id: authorId,
          parent_id: parentId,
          body: body.text,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await bumpPostCounters(trx, input.postId, { comments: 1 });
      return ok({ comment: toComment(row), postAuthorId: post.authorId, parentAuthorId });
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
  deps: SocialDeps,
  userId: UserId,
  commentId: CommentId,
): Promise<Result<Comment, SocialFailure>> {
  type Deleted = { comment: Comment; wasDeleted: boolean };
  const result = await deps.db
    .transaction()
    .execute(async (trx): Promise<Result<Deleted, SocialFailure>> => {
      const row = await trx
        .selectFrom("comments")
        .selectAll()
        .where("id", "=", commentId)
        .forUpdate()
        .executeTakeFirst();
      if (!row) return err(notFound("comment"));
      if (row.author_id !== userId) {
        return err({ code: "forbidden", message: "Only its author can delete a comment." });
      }
      if (row.deleted_at !== null) return ok({ comment: toComment(row), wasDeleted: false });
      const deleted = await trx
        .updateTable("comments")
        .set({ deleted_at: new Date() })
        .where("id", "=", commentId)
        .returningAll()
        .executeTakeFirstOrThrow();
      if (row.hidden_at === null) await bumpPostCounters(trx, row.post_id, { comments: -1 });
      return ok({ comment: toComment(deleted), wasDeleted: true });
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
  const threads = await db
    .selectFrom("comments")
    .selectAll()
    .where("post_id", "=", postId)
    .where("parent_id", "is", null)
    .where("id", ">", after)
    .where("deleted_at", "is", null)
    .where("hidden_at", "is", null)
    .orderBy("id")
    .limit(page.limit + 1)
    .execute();
  const shown = threads.slice(0, page.limit);
  const replies =
    shown.length === 0
      ? []
      : await db
          .selectFrom("comments")
          .selectAll()
          .where(
            "parent_id",
            "in",
            shown.map((t) => t.id),
          )
          .where("deleted_at", "is", null)
          .where("hidden_at", "is", null)
          .orderBy("id")
          .execute();
  const byParent = new Map<string, Comment[]>();
  for (const reply of replies.map(toComment)) {
    const key = String(reply.parentId);
    byParent.set(key, [...(byParent.get(key) ?? []), reply]);
  }
  const items = shown.flatMap((t) => [toComment(t), ...(byParent.get(String(t.id)) ?? [])]);
  const last = shown.at(-1);
  return {
    items,
    nextCursor: threads.length > page.limit && last ? encodeCursor([String(last.id)]) : null,
  };
}
