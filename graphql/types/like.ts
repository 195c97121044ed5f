import type { FieldRef, ObjectRef } from "@pothos/core";
import type { UserId } from "#core/auth/ids.ts";
import type { RewardRecord } from "#core/rewards/reward-queries.ts";
import { like, unlike, type LikeState } from "#core/social/likes.ts";
import type { Comment, CommentId, LikeTarget, Post, PostId } from "#core/social/social-types.ts";
import { builder } from "../builder.ts";
import type { GraphQLContext } from "../context.ts";
import { loadOwnReward, loadVisibleComment, loadVisiblePost, socialLoaders } from "../loaders.ts";
import { CommentRef } from "./comment.ts";
import { NotFoundError, NotSignedInError, ValidationError } from "./errors.ts";
import { PostRef } from "./post.ts";
import { RewardRef } from "./reward.ts";
import { idFromGlobal, requireViewerId, throwSocialFailure } from "./social-errors.ts";

// Liking and unliking posts and comments: one payload shape and one pair of mutations per
// likeable kind. The payload carries what the like earned the liker, so a client can show
// it on the button straight away (the author's share arrives with their notification).

type PothosTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
type LikeOutcome<Item> = { state: LikeState; reward: RewardRecord | null; item: Item | null };

/** Each likeable kind: its GraphQL names and how to read it as shown after the change. */
type Likeable<Item> = {
  kind: LikeTarget["kind"];
  typeName: "Post" | "Comment";
  field: "post" | "comment";
  /** The payload's field for the item itself (concrete per kind, so Pothos can type it). */
  itemField: (
    t: PothosSchemaTypes.ObjectFieldBuilder<PothosTypes, LikeOutcome<Item>>,
  ) => FieldRef<PothosTypes, Item | null | undefined>;
  loadShown: (context: GraphQLContext, id: bigint) => Promise<Item | null>;
};

function likePayloadRef<Item>(name: string, likeable: Likeable<Item>) {
  return builder.objectRef<LikeOutcome<Item>>(name).implement({
    fields: (t) => ({
      [likeable.field]: likeable.itemField(t),
      liked: t.boolean({
        description: "True after a like, false after an unlike.",
        resolve: (p) => p.state.liked,
      }),
      likeCount: t.int({
        description: "The like count after this change.",
        resolve: (p) => p.state.likeCount,
      }),
      reward: t.field({
        type: RewardRef,
        nullable: true,
        description:
          "What this like earned you: held for a day, refused with a reason (a cap, a burst of likes), or REVERSED after liking, unliking and liking again within the hold. Null for your own things and after an unlike.",
        resolve: (payload) => payload.reward,
      }),
    }),
  });
}

async function changeLike<Item>(
  context: GraphQLContext,
  viewerId: UserId,
  target: LikeTarget,
  isLike: boolean,
  likeable: Likeable<Item>,
): Promise<LikeOutcome<Item>> {
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
  const [reward, item] = await Promise.all([
    loadOwnReward(context, state.reward?.rewardId ?? null),
    likeable.loadShown(context, target.id),
  ]);
  return { state, reward, item };
}

const likeErrors = { types: [NotSignedInError, ValidationError, NotFoundError] };

type MutationFieldBuilder = Parameters<Parameters<typeof builder.mutationFields>[0]>[0];

/** The like or unlike mutation of one likeable kind, taking its id as `<field>Id`. */
function likeMutation<Item>(
  t: MutationFieldBuilder,
  likeable: Likeable<Item>,
  payload: ObjectRef<PothosTypes, LikeOutcome<Item>>,
  isLike: boolean,
  description: string,
) {
  const argName = `${likeable.field}Id`;
  return t.field({
    type: payload,
    description,
    args: { [argName]: t.arg.id({ required: true }) },
    errors: likeErrors,
    resolve: async (_root, args, context) => {
      const viewerId = requireViewerId(context);
      const id = idFromGlobal(args[argName]!, likeable.typeName, argName);
      return changeLike(context, viewerId, { kind: likeable.kind, id }, isLike, likeable);
    },
  });
}

const likeablePost: Likeable<Post> = {
  kind: "post",
  typeName: "Post",
  field: "post",
  itemField: (t) =>
    t.field({
      type: PostRef,
      nullable: true,
      description: "The post, as it is now; null when it is no longer shown.",
      resolve: (payload) => payload.item,
    }),
  loadShown: (context, id: PostId) => loadVisiblePost(context, id),
};
const likeableComment: Likeable<Comment> = {
  kind: "comment",
  typeName: "Comment",
  field: "comment",
  itemField: (t) =>
    t.field({
      type: CommentRef,
      nullable: true,
      description: "The comment, as it is now; null when it is no longer shown.",
      resolve: (payload) => payload.item,
    }),
  loadShown: (context, id: CommentId) => loadVisibleComment(context, id),
};

const PostLikePayloadRef = likePayloadRef("PostLikePayload", likeablePost);
const CommentLikePayloadRef = likePayloadRef("CommentLikePayload", likeableComment);

builder.mutationFields((t) => ({
  likePost: likeMutation(
    t,
    likeablePost,
    PostLikePayloadRef,
    true,
    "Likes a post. Pays its author and, a little, you. Liking again changes nothing and pays nothing new.",
  ),
  unlikePost: likeMutation(
    t,
    likeablePost,
    PostLikePayloadRef,
    false,
    "Removes your like. Within the hold its rewards are reversed (yours and the author's). Unliking twice is harmless.",
  ),
  likeComment: likeMutation(
    t,
    likeableComment,
    CommentLikePayloadRef,
    true,
    "Likes a comment, paid like a post's like.",
  ),
  unlikeComment: likeMutation(
    t,
    likeableComment,
    CommentLikePayloadRef,
    false,
    "Removes your like from a comment; its rewards are reversed while held.",
  ),
}));
