import { sql } from "kysely";
import type { UserId } from "#core/auth/ids.ts";
import { err, ok, type Result } from "#core/result.ts";
import type { RewardOutcome } from "#core/rewards/reward-types.ts";
import type { Db, Trx } from "#db/create-db.ts";
import { linkFailure } from "./link-trust.ts";
import { notify, type NewNotification } from "./notifications.ts";
import { findPeople, findPeopleByHandles } from "./people.ts";
import {
  bumpPostCounters,
  getPostsByIds,
  lockLivePost,
  newPostHotScore,
  toPost,
} from "./post-rows.ts";
import { POST_MAX_LENGTH } from "#shared/text-limits.ts";
import { hashtagsOf, linksOf, mentionsOf, normaliseBody } from "./post-text.ts";
import { reversePostReward, rewardPost } from "./social-rewards.ts";
import type { SocialDeps } from "./social-deps.ts";
import { notFound, type Post, type PostId, type SocialFailure } from "./social-types.ts";

/** How long after posting its author may still edit a post. */
export const EDIT_WINDOW_MS = 15 * 60 * 1000;

export type PostCreated = { post: Post; reward: RewardOutcome | null };

function bodyFailure(message: string): SocialFailure {
  return { code: "invalid", message, fieldErrors: { body: [message] } };
}

async function replaceHashtags(trx: Trx, postId: PostId, body: string) {
  await trx.deleteFrom("post_hashtags").where("post_id", "=", postId).execute();
  const tags = hashtagsOf(body);
  if (tags.length > 0) {
    await trx
      .insertInto("post_hashtags")
      .values(tags.map((tag) => ({ tag, post_id: postId })))
      .execute();
  }
}

async function mentionNotifications(
  deps: SocialDeps,
  body: string,
  actorId: UserId,
  target: { postId: PostId; commentId?: bigint },
): Promise<NewNotification[]> {
  const people = await findPeopleByHandles(deps.db, mentionsOf(body));
  return people.map((person) => ({
    userId: person.id,
    kind: "mention",
    actorId,
    postId: target.postId,
    commentId: target.commentId ?? null,
    dedupeKey: `mention:${target.commentId ? `comment:${target.commentId}` : `post:${target.postId}`}:${person.id}`,
  }));
}

/**
 * Publishes a post (text with #hashtags, @mentions and, from trust level 1, links) and
 * pays its author. A refused post is not written at all.
 */
export async function createPost(
  deps: SocialDeps,
  authorId: UserId,
  input: { body: unknown },
): Promise<Result<PostCreated, SocialFailure>> {
  const body = normaliseBody(input.body, POST_MAX_LENGTH, "post");
  if (!body.ok) return err(bodyFailure(body.message));
  const refusal = await linkFailure(deps, authorId, body.text, deps.rewards.now());
  if (refusal) return err(refusal);
  const post = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("posts")
      .values({ author_id: authorId, body: body.text, hot_score: newPostHotScore })
      .returningAll()
      .executeTakeFirstOrThrow();
    await replaceHashtags(trx, row.id, body.text);
    await trx
      .updateTable("users")
      .set({ post_count: sql`post_count + 1` })
      .where("id", "=", authorId)
      .execute();
    return toPost(row);
  });
  const reward = await rewardPost(deps, authorId, post.id);
  await notify(deps, await mentionNotifications(deps, post.body, authorId, { postId: post.id }));
  return ok({ post, reward: reward.ok ? reward.value : null });
}

/** The author edits a post's text within the edit window; hashtags follow the new text. */
export async function editPost(
  deps: SocialDeps,
  userId: UserId,
  postId: PostId,
  input: { body: unknown },
  now = new Date(),
): Promise<Result<Post, SocialFailure>> {
  const body = normaliseBody(input.body, POST_MAX_LENGTH, "post");
  if (!body.ok) return err(bodyFailure(body.message));
  // Before the transaction: trust is read through `db`, which on PGlite's one connection
  // would wait for the transaction to end.
  const refusal = await linkFailure(deps, userId, body.text, now);
  return deps.db.transaction().execute(async (trx): Promise<Result<Post, SocialFailure>> => {
    const row = await trx
      .selectFrom("posts")
      .selectAll()
      .where("id", "=", postId)
      .where("deleted_at", "is", null)
      .forUpdate()
      .executeTakeFirst();
    if (!row) return err(notFound("post"));
    if (row.author_id !== userId) {
      return err({ code: "forbidden", message: "Only its author can edit a post." });
    }
    if (row.repost_of_id !== null) {
      return err({ code: "invalid", message: "A repost has no text of its own to edit." });
    }
    if (now.getTime() - row.created_at.getTime() > EDIT_WINDOW_MS) {
      return err({
        code: "edit_window_closed",
        message: "Posts can be edited for 15 minutes after posting; this one can only be deleted.",
      });
    }
    // Links the post already had may stay; only new ones take the trust level.
    const hadLinks = linksOf(row.body);
    if (refusal && linksOf(body.text).some((href) => !hadLinks.includes(href))) {
      return err(refusal);
    }
    const updated = await trx
      .updateTable("posts")
      .set({ body: body.text, edited_at: now })
      .where("id", "=", postId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await replaceHashtags(trx, postId, body.text);
    return ok(toPost(updated));
  });
}

/**
 * The author deletes a post (or undoes a repost). Its reward is reversed while still
 * held; one already released stays paid. Deleting again changes nothing.
 */
export async function deletePost(
  deps: SocialDeps,
  userId: UserId,
  postId: PostId,
): Promise<Result<Post, SocialFailure>> {
  type Deleted = { post: Post; wasDeleted: boolean };
  const result = await deps.db
    .transaction()
    .execute(async (trx): Promise<Result<Deleted, SocialFailure>> => {
      const row = await trx
        .selectFrom("posts")
        .selectAll()
        .where("id", "=", postId)
        .forUpdate()
        .executeTakeFirst();
      if (!row) return err(notFound("post"));
      if (row.author_id !== userId) {
        return err({ code: "forbidden", message: "Only its author can delete a post." });
      }
      if (row.deleted_at !== null) return ok({ post: toPost(row), wasDeleted: false });
      const deleted = await trx
        .updateTable("posts")
        .set({ deleted_at: new Date() })
        .where("id", "=", postId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx
        .updateTable("users")
        .set({ post_count: sql`post_count - 1` })
        .where("id", "=", userId)
        .execute();
      if (row.repost_of_id !== null) await bumpPostCounters(trx, row.repost_of_id, { reposts: -1 });
      return ok({ post: toPost(deleted), wasDeleted: true });
    });
  if (!result.ok) return result;
  if (result.value.wasDeleted && result.value.post.repostOfId === null) {
    await reversePostReward(deps.db, postId);
  }
  return ok(result.value.post);
}

/**
 * Shares a post to the reposter's followers. Reposting a repost shares the original;
 * reposting twice returns the live repost.
 */
export async function repost(
  deps: SocialDeps,
  userId: UserId,
  postId: PostId,
): Promise<Result<Post, SocialFailure>> {
  const [target] = await getPostsByIds(deps.db, [postId]);
  const originalId = target?.repostOfId ?? postId;
  type Reposted = { post: Post; original: Post; isNew: boolean };
  const result = await deps.db
    .transaction()
    .execute(async (trx): Promise<Result<Reposted, SocialFailure>> => {
      const original = await lockLivePost(trx, originalId);
      if (!original) return err(notFound("post"));
      const inserted = await trx
        .insertInto("posts")
        .values({ author_id: userId, repost_of_id: originalId, hot_score: newPostHotScore })
        .onConflict((oc) =>
          oc
            .columns(["author_id", "repost_of_id"])
            .where("repost_of_id", "is not", null)
            .where("deleted_at", "is", null)
            .doNothing(),
        )
        .returningAll()
        .executeTakeFirst();
      if (!inserted) {
        const existing = await trx
          .selectFrom("posts")
          .selectAll()
          .where("author_id", "=", userId)
          .where("repost_of_id", "=", originalId)
          .where("deleted_at", "is", null)
          .executeTakeFirstOrThrow();
        return ok({ post: toPost(existing), original, isNew: false });
      }
      await bumpPostCounters(trx, originalId, { reposts: 1 });
      await trx
        .updateTable("users")
        .set({ post_count: sql`post_count + 1` })
        .where("id", "=", userId)
        .execute();
      return ok({ post: toPost(inserted), original, isNew: true });
    });
  if (!result.ok) return result;
  const { post, original, isNew } = result.value;
  if (isNew) {
    await notify(deps, [
      {
        userId: original.authorId,
        kind: "repost",
        actorId: userId,
        postId: original.id,
        dedupeKey: `repost:${original.id}:${userId}`,
      },
    ]);
  }
  return ok(post);
}

/** A post by id for display: null when it does not exist; deleted and hidden ones are kept out. */
export async function getVisiblePost(deps: Pick<SocialDeps, "db">, postId: PostId) {
  const [post] = await getPostsByIds(deps.db, [postId]);
  if (!post || post.deletedAt || post.hiddenAt) return null;
  const authors = await findPeople(deps.db, [post.authorId]);
  return authors.has(post.authorId) ? post : null;
}

/** Which of the posts the viewer has a live repost of (for "reposted" on a page's buttons). */
export async function repostedAmong(
  db: Db,
  viewerId: UserId,
  postIds: readonly PostId[],
): Promise<Set<PostId>> {
  if (postIds.length === 0) return new Set();
  const rows = await db
    .selectFrom("posts")
    .select("repost_of_id")
    .where("author_id", "=", viewerId)
    .where("repost_of_id", "in", [...postIds])
    .where("deleted_at", "is", null)
    .execute();
  return new Set(rows.map((r) => BigInt(r.repost_of_id!)));
}
