import DataLoader from "dataloader";
import type { UserId } from "#core/auth/ids.ts";
import { getUsersByIds } from "#core/auth/user.service.ts";
import type { User } from "#core/auth/user.ts";
import { getRewardsByIds, type RewardRecord } from "#core/rewards/reward-queries.ts";
import { getCommentsByIds } from "#core/social/comments.ts";
import { getPostsByIds } from "#core/social/posts.ts";
import type { Comment, CommentId, Post, PostId } from "#core/social/social-types.ts";
import {
  whichViewerHas,
  type RelatedKey,
  type ViewerRelation,
} from "#core/social/viewer-relations.ts";
import { visibleComments, visiblePosts, type VisibilityReads } from "#core/social/visibility.ts";
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
  const viewerHas = <R extends ViewerRelation>(relation: R) =>
    new DataLoader<RelatedKey[R], boolean>(async (keys) => {
      const found = await whichViewerHas(db, viewerId, relation, keys);
      return keys.map((key) => found.has(key));
    }, BATCH);
  return {
    users: new DataLoader((ids) => getUsersByIds(db, ids), BATCH),
    posts: new DataLoader(async (ids) => byId(ids, await getPostsByIds(db, ids)), BATCH),
    comments: new DataLoader(async (ids) => byId(ids, await getCommentsByIds(db, ids)), BATCH),
    viewerLikesPost: viewerHas("likedPosts"),
    viewerLikesComment: viewerHas("likedComments"),
    viewerRepostsPost: viewerHas("repostedPosts"),
    viewerFollows: viewerHas("follows"),
    viewerMutes: viewerHas("mutes"),
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

/** core's visibility rule reading through this request's loaders (already loaded rows are free). */
function visibilityReads(context: GraphQLContext): VisibilityReads {
  const loaders = socialLoaders(context);
  const settled = <T>(found: (T | Error | null)[]) =>
    found.map((item) => (item instanceof Error ? null : item));
  return {
    posts: async (ids) => settled(await loaders.posts.loadMany(ids)),
    comments: async (ids) => settled(await loaders.comments.loadMany(ids)),
    areShown: async (ids) => {
      const profiles = await profileLoaders(context).profiles.loadMany(ids);
      return profiles.map((profile) => profile !== null && !(profile instanceof Error));
    },
  };
}

/** Posts as anyone may see them (core's rule), null where not; batched per request. */
export function loadVisiblePosts(
  context: GraphQLContext,
  ids: readonly PostId[],
): Promise<(Post | null)[]> {
  return visiblePosts(visibilityReads(context), ids);
}

export async function loadVisiblePost(context: GraphQLContext, id: PostId): Promise<Post | null> {
  const [post] = await loadVisiblePosts(context, [id]);
  return post ?? null;
}

/** Comments as anyone may see them (core's rule), null where not; batched per request. */
export function loadVisibleComments(
  context: GraphQLContext,
  ids: readonly CommentId[],
): Promise<(Comment | null)[]> {
  return visibleComments(visibilityReads(context), ids);
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
