import { encodeGlobalID } from "@pothos/plugin-relay";
import { parseId } from "#core/social/cursor.ts";
import { segmentText } from "#core/social/post-text.ts";
import { viewPosts } from "#core/social/post-views.ts";
import { createPost, deletePost, EDIT_WINDOW_MS, editPost, repost } from "#core/social/posts.ts";
import type { TextSegment } from "#core/social/post-text.ts";
import type { Post, PostId } from "#core/social/social-types.ts";
import type { RewardRecord } from "#core/rewards/reward-queries.ts";
import { builder } from "../builder.ts";
import type { GraphQLContext } from "../context.ts";
import { loadAuthor, loadOwnReward, loadVisiblePost, socialLoaders } from "../loaders.ts";
import { ForbiddenError, NotFoundError, NotSignedInError, ValidationError } from "./errors.ts";
import { profileLoaders } from "./profile.ts";
import { RewardRef } from "./reward.ts";
import {
  EditWindowClosedError,
  idFromGlobal,
  requireViewerId,
  throwSocialFailure,
  TrustLevelTooLowError,
} from "./social-errors.ts";
import { TextSegmentRef } from "./text-segment.ts";
import { UserRef } from "./user.ts";

export const PostRef = builder.objectRef<Post>("Post");

/**
 * Shows a page of posts the way every feed does (core's viewPosts: reposts whose original
 * is gone and posts by hidden people are left out) and primes this request's loaders
 * with what that read: posts, the viewer's likes and reposts, and the authors' profiles,
 * which `author` answers from (loadAuthor), so the accounts are not read a second time.
 */
export async function presentPosts(
  context: GraphQLContext,
  posts: readonly Post[],
): Promise<(Post | null)[]> {
  const views = await viewPosts(context.services.db, context.viewer?.user.id ?? null, posts);
  const loaders = socialLoaders(context);
  const profiles = profileLoaders(context).profiles;
  const shown = new Set<PostId>();
  for (const view of views) {
    for (const v of view.repostOf ? [view, view.repostOf] : [view]) {
      loaders.posts.prime(v.post.id, v.post);
      loaders.viewerLikesPost.prime(v.post.id, v.viewerHasLiked);
      loaders.viewerRepostsPost.prime(v.post.id, v.viewerHasReposted);
      profiles.prime(v.author.id, v.author);
    }
    shown.add(view.post.id);
  }
  return posts.map((post) => (shown.has(post.id) ? post : null));
}

// Cut only when a query selects `segments`, once per post object (a post shown twice, as
// itself and as a repost's original, is the same object from the loader).
const segmentsByPost = new WeakMap<Post, TextSegment[]>();

function segmentsOf(post: Post): TextSegment[] {
  let segments = segmentsByPost.get(post);
  if (!segments) {
    segments = segmentText(post.body);
    segmentsByPost.set(post, segments);
  }
  return segments;
}

builder.node(PostRef, {
  description:
    "A post, or a repost (repostOf set, body empty) that shares another post with the reposter's followers.",
  id: { resolve: (post) => post.id.toString() },
  loadMany: (ids, context) => {
    const parsed = ids.map(parseId);
    return Promise.all(parsed.map((id) => (id === null ? null : loadVisiblePost(context, id))));
  },
  fields: (t) => ({
    body: t.exposeString("body", {
      description: "The text as written (empty for a repost). Show `segments`, not this as HTML.",
    }),
    segments: t.field({
      type: [TextSegmentRef],
      description: "The text cut into plain text, safe links, hashtags and mentions.",
      resolve: (post) => segmentsOf(post),
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    editedAt: t.expose("editedAt", { type: "DateTime", nullable: true }),
    author: t.field({
      type: UserRef,
      resolve: (post, _args, context) => loadAuthor(context, post.authorId),
    }),
    likeCount: t.exposeInt("likeCount"),
    commentCount: t.exposeInt("commentCount"),
    repostCount: t.exposeInt("repostCount"),
    viewerHasLiked: t.boolean({
      description: "True when the signed-in user likes this post; false when signed out.",
      resolve: (post, _args, context) => socialLoaders(context).viewerLikesPost.load(post.id),
    }),
    viewerHasReposted: t.boolean({
      description:
        "True when the signed-in user has a live repost of this post; false when signed out.",
      resolve: (post, _args, context) => socialLoaders(context).viewerRepostsPost.load(post.id),
    }),
    repostOf: t.field({
      type: PostRef,
      nullable: true,
      description: "For a repost, the post it shares; null for an original post.",
      resolve: (post, _args, context) =>
        post.repostOfId === null ? null : loadVisiblePost(context, post.repostOfId),
    }),
    isEditable: t.boolean({
      description:
        "True while the signed-in user may edit this post: their own original post, within 15 minutes of posting.",
      resolve: (post, _args, context) => editableUntil(post, context) !== null,
    }),
    editableUntil: t.field({
      type: "DateTime",
      nullable: true,
      description: "Until when the signed-in user may edit this post; null when they may not.",
      resolve: (post, _args, context) => editableUntil(post, context),
    }),
  }),
});

function editableUntil(post: Post, context: GraphQLContext): Date | null {
  if (context.viewer?.user.id !== post.authorId) return null;
  if (post.repostOfId !== null || post.deletedAt !== null || post.hiddenAt !== null) return null;
  const until = new Date(post.createdAt.getTime() + EDIT_WINDOW_MS);
  return until.getTime() > Date.now() ? until : null;
}

export const PostConnectionRef = builder.connectionObject(
  { type: PostRef, name: "PostConnection" },
  { name: "PostEdge" },
);

builder.queryFields((t) => ({
  post: t.field({
    type: PostRef,
    nullable: true,
    description: "A post by id; null when it does not exist, was deleted or hidden.",
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, context) => {
      try {
        return loadVisiblePost(context, idFromGlobal(args.id, "Post", "id"));
      } catch (error) {
        if (error instanceof ValidationError) return null;
        throw error;
      }
    },
  }),
}));

/** After a mutation, later fields in the same response read the post as it is now. */
function remember(context: GraphQLContext, post: Post): Post {
  socialLoaders(context).posts.clear(post.id).prime(post.id, post);
  return post;
}

type PostWithReward = { post: Post; reward: RewardRecord | null };

const CreatePostPayloadRef = builder.objectRef<PostWithReward>("CreatePostPayload").implement({
  fields: (t) => ({
    post: t.field({ type: PostRef, resolve: (payload) => payload.post }),
    reward: t.field({
      type: RewardRef,
      nullable: true,
      description:
        "What posting earned (held, or refused with a reason such as the daily cap); null if the reward could not be recorded.",
      resolve: (payload) => payload.reward,
    }),
  }),
});

const PostPayloadRef = builder.objectRef<{ post: Post }>("PostPayload").implement({
  fields: (t) => ({ post: t.field({ type: PostRef, resolve: (payload) => payload.post }) }),
});

const DeletePostPayloadRef = builder.objectRef<{ postId: PostId }>("DeletePostPayload").implement({
  fields: (t) => ({
    deletedPostId: t.id({
      description: "The deleted post's id, for removing it from a client's lists.",
      resolve: (payload) => encodeGlobalID("Post", payload.postId.toString()),
    }),
  }),
});

const postIdArg = { description: "A Post's id." } as const;

builder.mutationFields((t) => ({
  createPost: t.field({
    type: CreatePostPayloadRef,
    description:
      "Publishes a post: text of up to 500 characters with #hashtags, @mentions (mentioned people are notified) and, from trust level 1, links. Pays a small reward, held for a day.",
    args: { body: t.arg.string({ required: true }) },
    errors: { types: [NotSignedInError, ValidationError, TrustLevelTooLowError] },
    resolve: async (_root, args, context) => {
      const viewerId = requireViewerId(context);
      const result = await createPost(context.services, viewerId, { body: args.body });
      if (!result.ok) throwSocialFailure(result.error);
      const { post, reward } = result.value;
      return {
        post: remember(context, post),
        reward: await loadOwnReward(context, reward?.rewardId ?? null),
      };
    },
  }),
  editPost: t.field({
    type: PostPayloadRef,
    description:
      "Changes the text of one of your posts, within 15 minutes of posting; hashtags follow the new text. New links take trust level 1, as in createPost.",
    args: {
      postId: t.arg.id({ required: true, ...postIdArg }),
      body: t.arg.string({ required: true }),
    },
    errors: {
      types: [
        NotSignedInError,
        ValidationError,
        NotFoundError,
        ForbiddenError,
        EditWindowClosedError,
        TrustLevelTooLowError,
      ],
    },
    resolve: async (_root, args, context) => {
      const viewerId = requireViewerId(context);
      const postId = idFromGlobal(args.postId, "Post", "postId");
      const result = await editPost(context.services, viewerId, postId, { body: args.body });
      if (!result.ok) throwSocialFailure(result.error);
      return { post: remember(context, result.value) };
    },
  }),
  deletePost: t.field({
    type: DeletePostPayloadRef,
    description:
      "Deletes one of your posts (or undoes a repost). Its reward is reversed while still held. Deleting again is harmless.",
    args: { postId: t.arg.id({ required: true, ...postIdArg }) },
    errors: { types: [NotSignedInError, ValidationError, NotFoundError, ForbiddenError] },
    resolve: async (_root, args, context) => {
      const viewerId = requireViewerId(context);
      const postId = idFromGlobal(args.postId, "Post", "postId");
      const result = await deletePost(context.services, viewerId, postId);
      if (!result.ok) throwSocialFailure(result.error);
      remember(context, result.value);
      return { postId };
    },
  }),
  repost: t.field({
    type: PostPayloadRef,
    description:
      "Shares a post with your followers. Reposting a repost shares the original; reposting twice returns the same repost.",
    args: { postId: t.arg.id({ required: true, ...postIdArg }) },
    errors: { types: [NotSignedInError, ValidationError, NotFoundError] },
    resolve: async (_root, args, context) => {
      const viewerId = requireViewerId(context);
      const postId = idFromGlobal(args.postId, "Post", "postId");
      const result = await repost(context.services, viewerId, postId);
      if (!result.ok) throwSocialFailure(result.error);
      // The original's repost count changed.
      if (result.value.repostOfId !== null)
        socialLoaders(context).posts.clear(result.value.repostOfId);
      return { post: remember(context, result.value) };
    },
  }),
}));
