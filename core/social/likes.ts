import type { UserId } from "#core/auth/ids.ts";
import { err, ok, type Result } from "#core/result.ts";
import type { RewardOutcome } from "#core/rewards/reward-types.ts";
import { recordLike, removeLike } from "./likes.repository.ts";
import { notify } from "./notifications.ts";
import { reverseLikeRewards, rewardLike } from "./social-rewards.ts";
import type { SocialServices } from "./social-services.ts";
import { notFound, type LikeTarget, type SocialFailure } from "./social-types.ts";

export type LikeState = {
  target: LikeTarget;
  liked: boolean;
  likeCount: number;
  /** What the liker earned for this like (a replay of the first like's reward when liking again). */
  reward: RewardOutcome | null;
};

const likeNotificationKey = (target: LikeTarget, likerId: UserId) =>
  `like:${target.kind}:${target.id}:${likerId}`;

/**
 * Likes a post or comment. Liking again is harmless: it changes nothing and replays the
 * first like's rewards (which also completes a like whose reward was interrupted).
 * Nobody is paid for liking their own things. The like and its count are one statement;
 * the count returned is the one that statement left, not read again.
 */
export async function like(
  deps: SocialServices,
  likerId: UserId,
  target: LikeTarget,
): Promise<Result<LikeState, SocialFailure>> {
  const recorded = await recordLike(deps.db, target, likerId);
  if (!recorded) return err(notFound(target.kind));
  const { authorId, likeCount } = recorded;
  if (authorId === likerId) return ok({ target, liked: true, likeCount, reward: null });

  const rewards = await rewardLike(deps, {
    target,
    likerId,
    likerName: recorded.likerName ?? "Someone",
    authorId,
    authorName: recorded.authorName ?? "someone",
  });
  if (recorded.isNew) {
    await notify(deps, [
      {
        userId: authorId,
        kind: "like",
        actorId: likerId,
        postId: recorded.postId,
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
  deps: SocialServices,
  likerId: UserId,
  target: LikeTarget,
): Promise<Result<LikeState, SocialFailure>> {
  const removed = await removeLike(deps.db, target, likerId);
  if (!removed) return err(notFound(target.kind));
  // The like's notification stays: withdrawing it would let like/unlike cycles re-notify.
  await reverseLikeRewards(deps.db, target, likerId);
  return ok({ target, liked: false, likeCount: removed.likeCount, reward: null });
}
