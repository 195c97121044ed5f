import type { UserId } from "#core/auth/ids.ts";
import { err, ok, type Result } from "#core/result.ts";
import type { RewardOutcome } from "#core/rewards/reward-types.ts";
import type { Db } from "#db/create-db.ts";
import { linkFailure } from "./link-trust.ts";
import { notify, type NewNotification } from "./notifications.ts";
import { findPeopleByHandles } from "./people.repository.ts";
import {
  addToPostCount,
  bumpPostCounters,
  findLiveRepost,
  findPostsByIds,
  insertPost,
  insertRepost,
  lockLivePost,
  lockPost,
  markPostDeleted,
  replaceHashtags,
  updatePostBody,
} from "./posts.repository.ts";
import { POST_MAX_LENGTH } from "#shared/text-limits.ts";
import { hashtagsOf, linksOf, mentionsOf, normaliseBody } from "./post-text.ts";
import { reversePostReward, rewardPost } from "./social-rewards.ts";
import type { SocialServices } from "./social-services.ts";
import { notFound, type Post, type PostId, type SocialFailure } from "./social-types.ts";
import { whichViewerHas } from "./viewer-relations.ts";
import { readsFrom, visiblePosts } from "./visibility.ts";

/** How long after posting its author may still edit a post. */
export const EDIT_WINDOW_MS = 15 * 60 * 1000;

export type PostCreated = { post: Post; reward: RewardOutcome | null };

function bodyFailure(message: string): SocialFailure {
  return { code: "invalid", message, fieldErrors: { body: [message] } };
}

async function mentionNotifications(
  deps: SocialServices,
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
  deps: SocialServices,
  authorId: UserId,
  input: { body: unknown },
): Promise<Result<PostCreated, SocialFailure>> {
  const body = normaliseBody(input.body, POST_MAX_LENGTH, "post");
  if (!body.ok) return err(bodyFailure(body.message));
  const refusal = await linkFailure(deps, authorId, body.text, deps.rewards.now());
  if (refusal) return err(refusal);
  const post = await deps.db.transaction().execute(async (trx) => {
    const created = await insertPost(trx, authorId, body.text);
    await replaceHashtags(trx, created.id, hashtagsOf(body.text));
    await addToPostCount(trx, authorId, 1);
    return created;
  });
  const reward = await rewardPost(deps, authorId, post.id);
  await notify(deps, await mentionNotifications(deps, post.body, authorId, { postId: post.id }));
  return ok({ post, reward: reward.ok ? reward.value : null });
}

/** The author edits a post's text within the edit window; hashtags follow the new text. */
export async function editPost(
  deps: SocialServices,
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
    const post = await lockPost(trx, postId, { isDeletedWanted: false });
    if (!post) return err(notFound("post"));
    if (post.authorId !== userId) {
      return err({ code: "forbidden", message: "Only its author can edit a post." });
    }
    if (post.repostOfId !== null) {
      return err({ code: "invalid", message: "A repost has no text of its own to edit." });
    }
    if (now.getTime() - post.createdAt.getTime() > EDIT_WINDOW_MS) {
      return err({
        code: "edit_window_closed",
        message: "Posts can be edited for 15 minutes after posting; this one can only be deleted.",
      });
    }
    // Links the post already had may stay; only new ones take the trust level.
    const hadLinks = linksOf(post.body);
    if (refusal && linksOf(body.text).some((href) => !hadLinks.includes(href))) {
      return err(refusal);
    }
    const updated = await updatePostBody(trx, postId, body.text, now);
    await replaceHashtags(trx, postId, hashtagsOf(body.text));
    return ok(updated);
  });
}

/**
 * The author deletes a post (or undoes a repost). Its reward is reversed while still
 * held; one already released stays paid. Deleting again changes nothing.
 */
export async function deletePost(
  deps: SocialServices,
  userId: UserId,
  postId: PostId,
): Promise<Result<Post, SocialFailure>> {
  type Deleted = { post: Post; wasDeleted: boolean };
  const result = await deps.db
    .transaction()
    .execute(async (trx): Promise<Result<Deleted, SocialFailure>> => {
      // Undoing a repost locks in repost()'s order: the original first, then the repost
      // (repost() reaches it through the one-live-repost index), then the person. The other
      // way round, a person undoing a repost while reposting again deadlocked.
      const [seen] = await findPostsByIds(trx, [postId]);
      if (seen?.repostOfId != null) {
        await lockPost(trx, seen.repostOfId, { isDeletedWanted: true });
      }
      const post = await lockPost(trx, postId, { isDeletedWanted: true });
      if (!post) return err(notFound("post"));
      if (post.authorId !== userId) {
        return err({ code: "forbidden", message: "Only its author can delete a post." });
      }
      if (post.deletedAt !== null) return ok({ post, wasDeleted: false });
      const deleted = await markPostDeleted(trx, postId, new Date());
      if (post.repostOfId !== null) await bumpPostCounters(trx, post.repostOfId, { reposts: -1 });
      await addToPostCount(trx, userId, -1);
      return ok({ post: deleted, wasDeleted: true });
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
  deps: SocialServices,
  userId: UserId,
  postId: PostId,
): Promise<Result<Post, SocialFailure>> {
  const [target] = await findPostsByIds(deps.db, [postId]);
  const originalId = target?.repostOfId ?? postId;
  type Reposted = { post: Post; original: Post; isNew: boolean };
  const result = await deps.db
    .transaction()
    .execute(async (trx): Promise<Result<Reposted, SocialFailure>> => {
      const original = await lockLivePost(trx, originalId);
      if (!original) return err(notFound("post"));
      const inserted = await insertRepost(trx, userId, originalId);
      if (!inserted) {
        const existing = await findLiveRepost(trx, userId, originalId);
        return ok({ post: existing, original, isNew: false });
      }
      await bumpPostCounters(trx, originalId, { reposts: 1 });
      await addToPostCount(trx, userId, 1);
      return ok({ post: inserted, original, isNew: true });
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

/** A post by id for display: null when it does not exist or is not shown (see visibility.ts). */
export async function getVisiblePost(deps: Pick<SocialServices, "db">, postId: PostId) {
  const [post] = await visiblePosts(readsFrom(deps.db), [postId]);
  return post ?? null;
}

/** Posts by id as stored, deleted and hidden ones included (a moderator's queue still shows them). */
export function getPostsByIds(db: Db, ids: readonly PostId[]): Promise<Post[]> {
  return findPostsByIds(db, ids);
}

/** Which of the posts the viewer has a live repost of (for "reposted" on a page's buttons). */
export function repostedAmong(
  db: Db,
  viewerId: UserId,
  postIds: readonly PostId[],
): Promise<Set<PostId>> {
  return whichViewerHas(db, viewerId, "repostedPosts", postIds);
}
