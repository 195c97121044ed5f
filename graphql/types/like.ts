import type { UserId } from "#core/auth/ids.ts";
import type { RewardRecord } from "#core/rewards/reward-queries.ts";
import { like, unlike, type LikeState } from "#core/social/likes.ts";
import type { Comment, LikeTarget, Post } from "#core/social/social-types.ts";
import { builder } from "../builder.ts";
import type { GraphQLContext } from "../context.ts";
import { loadOwnReward, loadVisibleComment, loadVisiblePost, socialLoaders } from "../loaders.ts";
import { CommentRef } from "./comment.ts";
import { NotFoundError, NotSignedInError, ValidationError } from "./errors.ts";
import { PostRef } from "./post.ts";
import { RewardRef } from "./reward.ts";
import { idFromGlobal, requireViewerId, throwSocialFailure } from "./social-errors.ts";

// Liking and unliking posts and comments. The payload carries what the like earned the
// liker, so a client can show it on the button straight away (the author's share arrives
// with their notification).

type LikeOutcome = { state: LikeState; reward: RewardRecord | null };

const likeFields = {
  liked: "True after a like, false after an unlike.",
  likeCount: "The like count after this change.",
  reward:
    "What this like earned you: held for a day, refused with a reason (a cap, a burst of likes), or REVERSED after liking, unliking and liking again within the hold. Null for your own things and after an unlike.",
};

const PostLikePayloadRef = builder
  .objectRef<LikeOutcome & { post: Post | null }>("PostLikePayload")
  .implement({
    fields: (t) => ({
      post: t.field({
        type: PostRef,
        nullable: true,
        description: "The post, as it is now; null when it is no longer shown.",
        resolve: (payload) => payload.post,
      }),
      liked: t.boolean({ description: likeFields.liked, resolve: (p) => p.state.liked }),
      likeCount: t.int({ description: likeFields.likeCount, resolve: (p) => p.state.likeCount }),
      reward: t.field({
        type: RewardRef,
        nullable: true,
        description: likeFields.reward,
        resolve: (payload) => payload.reward,
      }),
    }),
  });

const CommentLikePayloadRef = builder
  .objectRef<LikeOutcome & { comment: Comment | null }>("CommentLikePayload")
  .implement({
    fields: (t) => ({
      comment: t.field({
        type: CommentRef,
        nullable: true,
        description: "The comment, as it is now; null when it is no longer shown.",
        resolve: (payload) => payload.comment,
      }),
      liked: t.boolean({ description: likeFields.liked, resolve: (p) => p.state.liked }),
      likeCount: t.int({ description: likeFields.likeCount, resolve: (p) => p.state.likeCount }),
      reward: t.field({
        type: RewardRef,
        nullable: true,
        description: likeFields.reward,
        resolve: (payload) => payload.reward,
      }),
    }),
  });

async function changeLike(
  context: GraphQLContext,
  viewerId: UserId,
  target: LikeTarget,
  isLike: boolean,
): Promise<LikeOutcome> {
  const result = await (isLike ? like : unlike)(context.services, viewerId, target);
  if (!result.ok) throwSocialFailure(result.error);
  const state = result.value;
  // Later fields in this response see the new count and like.
  const loaders = socialLoaders(context);
  if (target.kind === "post") {
    loaders.posts.clear(target.id);
    loaders.viewerLikesPost.clear(target.id).prime(target.id, state.liked);
  } else {
    loaders.comments.clear(target.id);
    loaders.viewerLikesComment.clear(target.id).prime(target.id, state.liked);
  }
  return { state, reward: await loadOwnReward(context, state.reward?.rewardId ?? null) };
}

const likeErrors = { types: [NotSignedInError, ValidationError, NotFoundError] };

builder.mutationFields((t) => ({
  likePost: t.field({
    type: PostLikePayloadRef,
    description:
      "Likes a post. Pays its author and, a little, you. Liking again changes nothing and pays nothing new.",
    args: { postId: t.arg.id({ required: true }) },
    errors: likeErrors,
    resolve: async (_root, args, context) => {
      const viewerId = requireViewerId(context);
      const id = idFromGlobal(args.postId, "Post", "postId");
      const outcome = await changeLike(context, viewerId, { kind: "post", id }, true);
      return { ...outcome, post: await loadVisiblePost(context, id) };
    },
  }),
  unlikePost: t.field({
    type: PostLikePayloadRef,
    description:
      "Removes your like. Within the hold its rewards are reversed (yours and the author's). Unliking twice is harmless.",
    args: { postId: t.arg.id({ required: true }) },
    errors: likeErrors,
    resolve: async (_root, args, context) => {
      const viewerId = requireViewerId(context);
      const id = idFromGlobal(args.postId, "Post", "postId");
      const outcome = await changeLike(context, viewerId, { kind: "post", id }, false);
      return { ...outcome, post: await loadVisiblePost(context, id) };
    },
  }),
  likeComment: t.field({
    type: CommentLikePayloadRef,
    description: "Likes a comment, paid like a post's like.",
    args: { commentId: t.arg.id({ required: true }) },
    errors: likeErrors,
    resolve: async (_root, args, context) => {
      const viewerId = requireViewerId(context);
      const id = idFromGlobal(args.commentId, "Comment", "commentId");
      const outcome = await changeLike(context, viewerId, { kind: "comment", id }, true);
      return { ...outcome, comment: await loadVisibleComment(context, id) };
    },
  }),
  unlikeComment: t.field({
    type: CommentLikePayloadRef,
    description: "Removes your like from a comment; its rewards are reversed while held.",
    args: { commentId: t.arg.id({ required: true }) },
    errors: likeErrors,
    resolve: async (_root, args, context) => {
      const viewerId = requireViewerId(context);
      const id = idFromGlobal(args.commentId, "Comment", "commentId");
      const outcome = await changeLike(context, viewerId, { kind: "comment", id }, false);
      return { ...outcome, comment: await loadVisibleComment(context, id) };
    },
  }),
}));
