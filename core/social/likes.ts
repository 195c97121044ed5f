import { sql } from "kysely";
import type { UserId } from "#core/auth/ids.ts";
import { err, ok, type Result } from "#core/result.ts";
import type { RewardOutcome } from "#core/rewards/reward-types.ts";
import type { Db, Trx } from "#db/create-db.ts";
import { notify } from "./notifications.ts";
import { findPeople } from "./people.ts";
import { bumpPostCounters, lockLivePost, toComment } from "./post-rows.ts";
import {
  BURST_WINDOW_MINUTES,
  reverseLikeRewards,
  rewardLike,
  type LikeTarget,
} from "./social-rewards.ts";
import type { SocialDeps } from "./social-deps.ts";
import { notFound, type SocialFailure } from "./social-types.ts";

export type LikeState = {
  target: LikeTarget;
  liked: boolean;
  likeCount: number;
  /** What the liker earned for this like (a replay of the first like's reward when liking again). */
  reward: RewardOutcome | null;
};

type Locked = { authorId: UserId; postId: bigint; likeCount: number };

/** The liked thing, locked so it cannot be deleted or hidden while the like is recorded. */
async function lockTarget(trx: Trx, target: LikeTarget): Promise<Locked | null> {
  if (target.kind === "post") {
    const post = await lockLivePost(trx, target.id);
    return post && { authorId: post.authorId, postId: post.id, likeCount: post.likeCount };
  }
  const row = await trx
    .selectFrom("comments")
    .innerJoin("posts", "posts.id", "comments.post_id")
    .selectAll("comments")
    .where("comments.id", "=", target.id)
    .where("comments.deleted_at", "is", null)
    .where("comments.hidden_at", "is", null)
    .where("posts.deleted_at", "is", null)
    .where("posts.hidden_at", "is", null)
    .forNoKeyUpdate("comments")
    .executeTakeFirst();
  if (!row) return null;
  const comment = toComment(row);
  return { authorId: comment.authorId, postId: comment.postId, likeCount: comment.likeCount };
}

async function addLikeRow(trx: Trx, target: LikeTarget, userId: UserId): Promise<boolean> {
  if (target.kind === "post") {
    const row = await trx
      .insertInto("post_likes")
      .values({ post_id: target.id, user_id: userId })
      .onConflict((oc) => oc.columns(["post_id", "user_id"]).doNothing())
      .returning("post_id")
      .executeTakeFirst();
    if (row) await bumpPostCounters(trx, target.id, { likes: 1 });
    return row !== undefined;
  }
  const row = await trx
    .insertInto("comment_likes")
    .values({ comment_id: target.id, user_id: userId })
    .onConflict((oc) => oc.columns(["comment_id", "user_id"]).doNothing())
    .returning("comment_id")
    .executeTakeFirst();
  if (row) {
    await trx
      .updateTable("comments")
      .set({ like_count: sql`like_count + 1` })
      .where("id", "=", target.id)
      .execute();
  }
  return row !== undefined;
}

async function removeLikeRow(trx: Trx, target: LikeTarget, userId: UserId): Promise<boolean> {
  if (target.kind === "post") {
    const row = await trx
      .deleteFrom("post_likes")
      .where("post_id", "=", target.id)
      .where("user_id", "=", userId)
      .returning("post_id")
      .executeTakeFirst();
    if (row) await bumpPostCounters(trx, target.id, { likes: -1 });
    return row !== undefined;
  }
  const row = await trx
    .deleteFrom("comment_likes")
    .where("comment_id", "=", target.id)
    .where("user_id", "=", userId)
    .returning("comment_id")
    .executeTakeFirst();
  if (row) {
    await trx
      .updateTable("comments")
      .set({ like_count: sql`like_count - 1` })
      .where("id", "=", target.id)
      .execute();
  }
  return row !== undefined;
}

async function currentLikeCount(db: Db, target: LikeTarget): Promise<number> {
  const table = target.kind === "post" ? "posts" : "comments";
  const row = await db
    .selectFrom(table)
    .select("like_count")
    .where("id", "=", target.id)
    .executeTakeFirst();
  return row?.like_count ?? 0;
}

/** Likes in the burst window, this one included: the curation reward diminishes with them. */
async function recentLikes(db: Db, userId: UserId): Promise<number> {
  const { rows } = await sql<{ count: number }>`
    select (select count(*) from post_likes
              where user_id = ${userId}
                and created_at > now() - make_interval(mins => ${BURST_WINDOW_MINUTES}))
         + (select count(*) from comment_likes
              where user_id = ${userId}
                and created_at > now() - make_interval(mins => ${BURST_WINDOW_MINUTES})) as count`.execute(
    db,
  );
  return Number(rows[0]?.count ?? 1);
}

const likeNotificationKey = (target: LikeTarget, likerId: UserId) =>
  `like:${target.kind}:${target.id}:${likerId}`;

/**
 * Likes a post or comment. Liking again is harmless: it changes nothing and replays the
 * first like's rewards (which also completes a like whose reward was interrupted).
 * Nobody is paid for liking their own things.
 */
export async function like(
  deps: SocialDeps,
  likerId: UserId,
  target: LikeTarget,
): Promise<Result<LikeState, SocialFailure>> {
  const locked = await deps.db.transaction().execute(async (trx) => {
    const found = await lockTarget(trx, target);
    if (!found) return null;
    const isNew = await addLikeRow(trx, target, likerId);
    return { ...found, isNew };
  });
  if (!locked) return err(notFound(target.kind));
  const likeCount = await currentLikeCount(deps.db, target);
  if (locked.authorId === likerId) return ok({ target, liked: true, likeCount, reward: null });

  const people = await findPeople(deps.db, [likerId, locked.authorId]);
  const rewards = await rewardLike(deps, {
    target,
    likerId,
    likerName: people.get(likerId)?.displayName ?? "Someone",
    authorId: locked.authorId,
    authorName: people.get(locked.authorId)?.displayName ?? "someone",
    likesInWindow: await recentLikes(deps.db, likerId),
  });
  if (locked.isNew) {
    await notify(deps, [
      {
        userId: locked.authorId,
        kind: "like",
        actorId: likerId,
        postId: locked.postId,
        commentId: target.kind === "comment" ? target.id : null,
        rewardId:
          rewards.author.ok && rewards.author.value.status !== "refused"
            ? rewards.author.value.rewardId
            : null,
        dedupeKey: likeNotificationKey(target, likerId),
      },
    ]);
  }
  return ok({
    target,
    liked: true,
    likeCount,
    reward: rewards.liker.ok ? rewards.liker.value : null,
  });
}

/** Removes a like; its rewards are reversed while still held. Unliking twice is harmless. */
export async function unlike(
  deps: SocialDeps,
  likerId: UserId,
  target: LikeTarget,
): Promise<Result<LikeState, SocialFailure>> {
  const exists = await deps.db.transaction().execute(async (trx) => {
    const table = target.kind === "post" ? "posts" : "comments";
    const found = await trx
      .selectFrom(table)
      .select("id")
      .where("id", "=", target.id)
      .forNoKeyUpdate()
      .executeTakeFirst();
    if (!found) return false;
    await removeLikeRow(trx, target, likerId);
    return true;
  });
  if (!exists) return err(notFound(target.kind));
  // The like's notification stays: withdrawing it would let like/unlike cycles re-notify.
  await reverseLikeRewards(deps.db, target, likerId);
  return ok({
    target,
    liked: false,
    likeCount: await currentLikeCount(deps.db, target),
    reward: null,
  });
}

/** Which of the posts or comments the viewer likes (one query, for "liked by me" on a page). */
export async function likedAmong(
  db: Db,
  viewerId: UserId,
  kind: LikeTarget["kind"],
  ids: readonly bigint[],
): Promise<Set<bigint>> {
  if (ids.length === 0) return new Set();
  const rows =
    kind === "post"
      ? await db
          .selectFrom("post_likes")
          .select("post_id as id")
          .where("user_id", "=", viewerId)
          .where("post_id", "in", [...ids])
          .execute()
      : await db
          .selectFrom("comment_likes")
          .select("comment_id as id")
          .where("user_id", "=", viewerId)
          .where("comment_id", "in", [...ids])
          .execute();
  return new Set(rows.map((r) => BigInt(r.id)));
}
