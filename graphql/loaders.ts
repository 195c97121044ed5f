import DataLoader from "dataloader";
import type { UserId } from "#core/auth/ids.ts";
import { getUsersByIds } from "#core/auth/user.service.ts";
import type { User } from "#core/auth/user.ts";
import { getRewardsByIds, type RewardRecord } from "#core/rewards/reward-queries.ts";
import { followedAmong, mutedAmong } from "#core/social/follows.ts";
import { likedAmong } from "#core/social/likes.ts";
import { repostedAmong } from "#core/social/posts.ts";
import { getCommentsByIds, getPostsByIds, isLive } from "#core/social/post-rows.ts";
import type { Comment, CommentId, Post, PostId } from "#core/social/social-types.ts";
import type { GraphQLContext } from "./context.ts";
import { profileLoaders } from "./types/profile.ts";

// Per-request batching: every field that needs a row asks its loader, and each loader
// turns the requests of one tick into a single call of a core batch function. A feed of
// any length therefore costs the same number of SQL statements.

export type SocialLoaders = {
  /** Accounts by id, hidden ones included (a moderator's report still names them). */
  users: DataLoader<string, User | null>;
  /** Posts by id as stored: deleted and hidden ones included; see loadVisiblePosts. */
  posts: DataLoader<PostId, Post | null>;
  comments: DataLoader<CommentId, Comment | null>;
  /** Whether the viewer likes each post (false for everything when signed out). */
  viewerLikesPost: DataLoader<PostId, boolean>;
  viewerLikesComment: DataLoader<CommentId, boolean>;
  /** Whether the viewer has a live repost of each post. */
  viewerRepostsPost: DataLoader<PostId, boolean>;
  viewerFollows: DataLoader<UserId, boolean>;
  viewerMutes: DataLoader<UserId, boolean>;
  rewards: DataLoader<bigint, RewardRecord | null>;
};

const BATCH = { maxBatchSize: 500 } as const;

function byId<K, T extends { id: K }>(ids: readonly K[], rows: readonly T[]): (T | null)[] {
  const found = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => found.get(id) ?? null);
}

function createSocialLoaders(context: GraphQLContext): SocialLoaders {
  const { db } = context.services;
  const viewerId = context.viewer?.user.id ?? null;
  const amongViewer = <K>(find: (viewer: UserId, keys: readonly K[]) => Promise<Set<K>>) =>
    new DataLoader<K, boolean>(async (keys) => {
      if (viewerId === null) return keys.map(() => false);
      const found = await find(viewerId, keys);
      return keys.map((key) => found.has(key));
    }, BATCH);
  return {
    users: new DataLoader((ids) => getUsersByIds(db, ids), BATCH),
    posts: new DataLoader(async (ids) => byId(ids, await getPostsByIds(db, ids)), BATCH),
    comments: new DataLoader(async (ids) => byId(ids, await getCommentsByIds(db, ids)), BATCH),
    viewerLikesPost: amongViewer((viewer, ids) => likedAmong(db, viewer, "post", ids)),
    viewerLikesComment: amongViewer((viewer, ids) => likedAmong(db, viewer, "comment", ids)),
    viewerRepostsPost: amongViewer((viewer, ids) => repostedAmong(db, viewer, ids)),
    viewerFollows: amongViewer((viewer, ids) => followedAmong(db, viewer, ids)),
    viewerMutes: amongViewer((viewer, ids) => mutedAmong(db, viewer, ids)),
    rewards: new DataLoader((ids) => getRewardsByIds(db, ids), BATCH),
  };
}

const loadersByRequest = new WeakMap<GraphQLContext, SocialLoaders>();

/** This request's social loaders (created on first use, gone with the request). */
export function socialLoaders(context: GraphQLContext): SocialLoaders {
  let loaders = loadersByRequest.get(context);
  if (!loaders) {
    loaders = createSocialLoaders(context);
    loadersByRequest.set(context, loaders);
  }
  return loaders;
}

/** Whether each author has a public profile (hidden people's things are not shown). */
async function authorsShown(context: GraphQLContext, authorIds: readonly UserId[]) {
  const profiles = await profileLoaders(context).profiles.loadMany(authorIds);
  return profiles.map((profile) => profile !== null && !(profile instanceof Error));
}

/**
 * Posts as anyone may see them: null where a post does not exist, was deleted or hidden,
 * or its author is hidden — the same rule the feeds apply.
 */
export async function loadVisiblePosts(
  context: GraphQLContext,
  ids: readonly PostId[],
): Promise<(Post | null)[]> {
  const posts = await socialLoaders(context).posts.loadMany(ids);
  const live = posts.map((post) => (post instanceof Error || !post || !isLive(post) ? null : post));
  const shown = await authorsShown(
    context,
    live.flatMap((post) => (post ? [post.authorId] : [])),
  );
  let next = 0;
  return live.map((post) => (post && shown[next++] ? post : null));
}

export async function loadVisiblePost(context: GraphQLContext, id: PostId): Promise<Post | null> {
  const [post] = await loadVisiblePosts(context, [id]);
  return post ?? null;
}

/** Comments as anyone may see them: live, by a shown author, on a post that is shown. */
export async function loadVisibleComments(
  context: GraphQLContext,
  ids: readonly CommentId[],
): Promise<(Comment | null)[]> {
  const comments = await socialLoaders(context).comments.loadMany(ids);
  const live = comments.map((c) => (c instanceof Error || !c || !isLive(c) ? null : c));
  const [shown, posts] = await Promise.all([
    authorsShown(
      context,
      live.flatMap((c) => (c ? [c.authorId] : [])),
    ),
    loadVisiblePosts(
      context,
      live.flatMap((c) => (c ? [c.postId] : [])),
    ),
  ]);
  let next = 0;
  return live.map((comment) => {
    if (!comment) return null;
    const i = next++;
    return shown[i] && posts[i] ? comment : null;
  });
}

export async function loadVisibleComment(
  context: GraphQLContext,
  id: CommentId,
): Promise<Comment | null> {
  const [comment] = await loadVisibleComments(context, [id]);
  return comment ?? null;
}

/** The account behind a user id; it exists for every author, actor and reporter. */
export async function loadUser(context: GraphQLContext, id: string): Promise<User> {
  const user = await socialLoaders(context).users.load(id);
  if (!user) throw new Error(`user ${id} does not exist`);
  return user;
}

/**
 * A post's author as a User without reading the account again: the viewer is the session's
 * own account, anyone else is made from their public profile, which every feed page has
 * loaded already (core's viewPosts primes the profile loader). A User made that way carries
 * no email and isAdmin false: the User type shows an email only to the user themself, and
 * only the viewer's isAdmin is ever read. A hidden author has no public profile and is read
 * as an account.
 */
export async function loadAuthor(context: GraphQLContext, id: UserId): Promise<User> {
  const viewer = context.viewer?.user;
  if (viewer?.id === id) return viewer;
  const profile = await profileLoaders(context).profiles.load(id);
  if (!profile) return loadUser(context, id);
  return {
    id: profile.id,
    handle: profile.handle,
    displayName: profile.displayName,
    createdAt: profile.createdAt,
    email: "",
    isAdmin: false,
  };
}

/** A reward the viewer may see (their own), or null. */
export async function loadOwnReward(
  context: GraphQLContext,
  id: bigint | null,
): Promise<RewardRecord | null> {
  if (id === null || !context.viewer) return null;
  const reward = await socialLoaders(context).rewards.load(id);
  return reward && reward.userId === context.viewer.user.id ? reward : null;
}
