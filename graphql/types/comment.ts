import { encodeGlobalID } from "@pothos/plugin-relay";
import { createComment, deleteComment, listComments } from "#core/social/comments.ts";
import { parseId } from "#core/social/cursor.ts";
import { segmentText } from "#core/social/post-text.ts";
import { viewComments } from "#core/social/post-views.ts";
import type { Comment, CommentId } from "#core/social/social-types.ts";
import type { RewardRecord } from "#core/rewards/reward-queries.ts";
import { builder } from "../builder.ts";
import type { GraphQLContext } from "../context.ts";
import {
  loadOwnReward,
  loadUser,
  loadVisibleComment,
  loadVisiblePost,
  socialLoaders,
} from "../loaders.ts";
import { ForbiddenError, NotFoundError, NotSignedInError, ValidationError } from "./errors.ts";
import { PostRef } from "./post.ts";
import { profileLoaders } from "./profile.ts";
import { RewardRef } from "./reward.ts";
import {
  idFromGlobal,
  requireViewerId,
  throwSocialFailure,
  TrustLevelTooLowError,
} from "./social-errors.ts";
import { pageConnection } from "./social-pages.ts";
import { TextSegmentRef } from "./text-segment.ts";
import { UserRef } from "./user.ts";

export const CommentRef = builder.objectRef<Comment>("Comment");

/** Shows comments as the web page does (core's viewComments) and primes the loaders with them. */
async function presentComments(
  context: GraphQLContext,
  comments: readonly Comment[],
): Promise<(Comment | null)[]> {
  const views = await viewComments(context.services.db, context.viewer?.user.id ?? null, comments);
  const loaders = socialLoaders(context);
  const profiles = profileLoaders(context).profiles;
  const shown = new Set<CommentId>();
  for (const view of views) {
    loaders.comments.prime(view.comment.id, view.comment);
    loaders.viewerLikesComment.prime(view.comment.id, view.viewerHasLiked);
    profiles.prime(view.author.id, view.author);
    shown.add(view.comment.id);
  }
  return comments.map((comment) => (shown.has(comment.id) ? comment : null));
}

builder.node(CommentRef, {
  description: "A comment on a post, or a reply to a comment (replies go one level deep).",
  id: { resolve: (comment) => comment.id.toString() },
  loadMany: (ids, context) =>
    Promise.all(
      ids.map(parseId).map((id) => (id === null ? null : loadVisibleComment(context, id))),
    ),
  fields: (t) => ({
    body: t.exposeString("body", { description: "Show `segments`, not this as HTML." }),
    segments: t.field({
      type: [TextSegmentRef],
      resolve: (comment) => segmentText(comment.body),
    }),
    author: t.field({
      type: UserRef,
      resolve: (comment, _args, context) => loadUser(context, comment.authorId),
    }),
    post: t.field({
      type: PostRef,
      nullable: true,
      description: "The post commented on; null once it was deleted or hidden.",
      resolve: (comment, _args, context) => loadVisiblePost(context, comment.postId),
    }),
    parent: t.field({
      type: CommentRef,
      nullable: true,
      description: "For a reply, the comment it replies to (null once that is gone).",
      resolve: (comment, _args, context) =>
        comment.parentId === null ? null : loadVisibleComment(context, comment.parentId),
    }),
    likeCount: t.exposeInt("likeCount"),
    viewerHasLiked: t.boolean({
      description: "True when the signed-in user likes this comment; false when signed out.",
      resolve: (comment, _args, context) =>
        socialLoaders(context).viewerLikesComment.load(comment.id),
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

builder.objectField(PostRef, "comments", (t) =>
  t.connection(
    {
      type: CommentRef,
      description:
        "Comments in conversation order: top-level comments oldest first, each followed by its replies. `first` counts top-level comments.",
      resolve: (post, args, context) =>
        pageConnection(
          args,
          "Comments",
          (page) => listComments(context.services.db, post.id, page),
          (comments) => presentComments(context, comments),
          (comment) => comment.parentId === null,
        ),
    },
    { name: "CommentConnection" },
    { name: "CommentEdge" },
  ),
);

const CreateCommentPayloadRef = builder
  .objectRef<{ comment: Comment; reward: RewardRecord | null }>("CreateCommentPayload")
  .implement({
    fields: (t) => ({
      comment: t.field({ type: CommentRef, resolve: (payload) => payload.comment }),
      reward: t.field({
        type: RewardRef,
        nullable: true,
        description: "What commenting earned; null on your own post.",
        resolve: (payload) => payload.reward,
      }),
    }),
  });

const DeleteCommentPayloadRef = builder
  .objectRef<{ commentId: CommentId }>("DeleteCommentPayload")
  .implement({
    fields: (t) => ({
      deletedCommentId: t.id({
        resolve: (payload) => encodeGlobalID("Comment", payload.commentId.toString()),
      }),
    }),
  });

builder.mutationFields((t) => ({
  createComment: t.field({
    type: CreateCommentPayloadRef,
    description:
      "Comments on a post (up to 500 characters), or replies to a comment with parentId. A reply to a reply joins the thread of its top-level comment. Links take trust level 1, as in posts.",
    args: {
      postId: t.arg.id({ required: true }),
      parentId: t.arg.id({ required: false, description: "The Comment replied to." }),
      body: t.arg.string({ required: true }),
    },
    errors: { types: [NotSignedInError, ValidationError, NotFoundError, TrustLevelTooLowError] },
    resolve: async (_root, args, context) => {
      const viewerId = requireViewerId(context);
      const postId = idFromGlobal(args.postId, "Post", "postId");
      const parentId = args.parentId ? idFromGlobal(args.parentId, "Comment", "parentId") : null;
      const result = await createComment(context.services, viewerId, {
        postId,
        parentId,
        body: args.body,
      });
      if (!result.ok) throwSocialFailure(result.error);
      const { comment, reward } = result.value;
      const loaders = socialLoaders(context);
      loaders.comments.clear(comment.id).prime(comment.id, comment);
      loaders.posts.clear(comment.postId);
      return { comment, reward: await loadOwnReward(context, reward?.rewardId ?? null) };
    },
  }),
  deleteComment: t.field({
    type: DeleteCommentPayloadRef,
    description:
      "Deletes one of your comments; its reward is reversed while still held. Deleting again is harmless.",
    args: { commentId: t.arg.id({ required: true }) },
    errors: { types: [NotSignedInError, ValidationError, NotFoundError, ForbiddenError] },
    resolve: async (_root, args, context) => {
      const viewerId = requireViewerId(context);
      const commentId = idFromGlobal(args.commentId, "Comment", "commentId");
      const result = await deleteComment(context.services, viewerId, commentId);
      if (!result.ok) throwSocialFailure(result.error);
      const loaders = socialLoaders(context);
      loaders.comments.clear(commentId);
      loaders.posts.clear(result.value.postId);
      return { commentId };
    },
  }),
}));
