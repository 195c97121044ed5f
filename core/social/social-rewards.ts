import type { UserId } from "#core/auth/ids.ts";
import { postCapBonus } from "#core/gamification/post-perks.ts";
import type { Result } from "#core/result.ts";
import { type ReversalReason, reverseReward } from "#core/rewards/reward.service.ts";
import { rewardKey, type RewardError, type RewardOutcome } from "#core/rewards/reward-types.ts";
import type { Db } from "#db/create-db.ts";
import { countLikesSince } from "./likes.repository.ts";
import type { SocialServices } from "./social-services.ts";
import type { CommentId, LikeTarget, PostId } from "./social-types.ts";

/**
 * How social actions are paid, all through the rewards engine. Every cause id is
 * derived from what happened (a post, a liker and what they liked, a follower and whom
 * they followed), so doing the same thing again replays the first reward instead of
 * paying twice: like/unlike cycling, refollowing and retries earn nothing new.
 */
export const socialRewardKinds = {
  post: "post.created",
  likeReceived: "like.received",
  likeGiven: "like.given",
  comment: "comment.created",
  followReceived: "follow.received",
} as const;

const likeCause = (target: LikeTarget, likerId: UserId) => `${target.kind}:${target.id}:${likerId}`;
export const postCause = (postId: PostId) => `post:${postId}`;
export const commentCause = (commentId: CommentId) => `comment:${commentId}`;
const followCause = (followeeId: UserId, followerId: UserId) => `${followeeId}:${followerId}`;

type Outcome = Result<RewardOutcome, RewardError>;

/** Pays for a post; the author's level and trust level may allow more rewarded posts a day. */
export async function rewardPost(
  deps: SocialServices,
  authorId: UserId,
  postId: PostId,
): Promise<Outcome> {
  const dailyCapBonus = await postCapBonus(deps.db, authorId, deps.rewards.now());
  return deps.rewards.reward({
    actionKind: socialRewardKinds.post,
    userId: authorId,
    causeId: postCause(postId),
    memo: "You posted",
    ...(dailyCapBonus > 0 ? { dailyCapBonus } : {}),
  });
}

/** Likes in a short window that still earn the full curation reward, then less and less. */
const BURST_WINDOW_MINUTES = 10;
export function curationShare(likesInWindow: number): number {
  if (likesInWindow <= 10) return 1000;
  if (likesInWindow <= 20) return 500;
  if (likesInWindow <= 40) return 250;
  return 100;
}

const rateWords: Record<number, string> = {
  500: "half rate",
  250: "a quarter of the rate",
  100: "a tenth of the rate",
};

/** Why a like's curation reward was reduced, in the words the wallet shows (null: full rate). */
export function curationShareReason(likesInWindow: number): string | null {
  const share = curationShare(likesInWindow);
  if (share === 1000) return null;
  const rate = rateWords[share] ?? `${share / 10}% of the rate`;
  return `Paid at ${rate}: you liked ${likesInWindow} posts or comments in ${BURST_WINDOW_MINUTES} minutes.`;
}

/**
 * Pays for a like: the author (counted once per liker per day by the rule's per-target
 * cap, so a ring of accounts liking each other gains little) and a smaller curation
 * reward to the liker that diminishes when they like in bursts (the likes of the last
 * BURST_WINDOW_MINUTES, this one included).
 */
export async function rewardLike(
  deps: SocialServices,
  like: {
    target: LikeTarget;
    likerId: UserId;
    likerName: string;
    authorId: UserId;
    authorName: string;
  },
): Promise<{ author: Outcome; liker: Outcome }> {
  const what = like.target.kind === "post" ? "post" : "comment";
  const likesInWindow = await countLikesSince(deps.db, like.likerId, BURST_WINDOW_MINUTES);
  const share = curationShare(likesInWindow);
  const shareReason = curationShareReason(likesInWindow);
  const [author, liker] = await Promise.all([
    deps.rewards.reward({
      actionKind: socialRewardKinds.likeReceived,
      userId: like.authorId,
      causeId: likeCause(like.target, like.likerId),
      targetKey: like.likerId,
      engagerId: like.likerId,
      memo: `${like.likerName} liked your ${what}`,
    }),
    deps.rewards.reward({
      actionKind: socialRewardKinds.likeGiven,
      userId: like.likerId,
      causeId: likeCause(like.target, like.likerId),
      targetKey: like.authorId,
      memo: `You liked ${like.authorName}'s ${what}`,
      shareThousandths: share,
      ...(shareReason ? { shareReason } : {}),
    }),
  ]);
  return { author, liker };
}

export function rewardComment(
  deps: SocialServices,
  comment: { id: CommentId; postId: PostId; authorId: UserId; postAuthorName: string },
): Promise<Outcome> {
  return deps.rewards.reward({
    actionKind: socialRewardKinds.comment,
    userId: comment.authorId,
    causeId: commentCause(comment.id),
    targetKey: postCause(comment.postId),
    memo: `You commented on ${comment.postAuthorName}'s post`,
  });
}

export function rewardFollow(
  deps: SocialServices,
  follow: { followerId: UserId; followerName: string; followeeId: UserId },
): Promise<Outcome> {
  return deps.rewards.reward({
    actionKind: socialRewardKinds.followReceived,
    userId: follow.followeeId,
    causeId: followCause(follow.followeeId, follow.followerId),
    targetKey: follow.followerId,
    engagerId: follow.followerId,
    memo: `${follow.followerName} followed you`,
  });
}

/** The reasons social reversals carry by default; moderation passes its own. */
export const socialReversalReasons = {
  unliked: {
    code: "unliked",
    message: "Reversed: the like was taken back before the reward was released.",
  },
  unfollowed: {
    code: "unfollowed",
    message: "Reversed: the follow was taken back before the reward was released.",
  },
  deleted: {
    code: "deleted",
    message: "Reversed: it was deleted before the reward was released.",
  },
  moderated: {
    code: "moderated",
    message: "Reversed: moderators hid what it paid for.",
  },
} as const satisfies Record<string, ReversalReason>;

/**
 * Undoes rewards that are still held, each with the reason its user reads. One already
 * released stays paid (the hold is the window for undoing), and a cause that never
 * earned anything has nothing to undo.
 */
async function reverseHeld(db: Db, keys: string[], reason: ReversalReason): Promise<void> {
  // Its only failures are "not_found" and "already_released": both mean nothing to undo.
  for (const key of keys) await reverseReward(db, key, reason);
}

export function reverseLikeRewards(
  db: Db,
  target: LikeTarget,
  likerId: UserId,
  reason: ReversalReason = socialReversalReasons.unliked,
) {
  const cause = likeCause(target, likerId);
  return reverseHeld(
    db,
    [
      rewardKey(socialRewardKinds.likeReceived, cause),
      rewardKey(socialRewardKinds.likeGiven, cause),
    ],
    reason,
  );
}

export function reversePostReward(
  db: Db,
  postId: PostId,
  reason: ReversalReason = socialReversalReasons.deleted,
) {
  return reverseHeld(db, [rewardKey(socialRewardKinds.post, postCause(postId))], reason);
}

export function reverseCommentReward(
  db: Db,
  commentId: CommentId,
  reason: ReversalReason = socialReversalReasons.deleted,
) {
  return reverseHeld(db, [rewardKey(socialRewardKinds.comment, commentCause(commentId))], reason);
}

export function reverseFollowReward(
  db: Db,
  followeeId: UserId,
  followerId: UserId,
  reason: ReversalReason = socialReversalReasons.unfollowed,
) {
  return reverseHeld(
    db,
    [rewardKey(socialRewardKinds.followReceived, followCause(followeeId, followerId))],
    reason,
  );
}
