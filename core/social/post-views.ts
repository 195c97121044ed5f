import type { UserId } from "#core/auth/ids.ts";
import { getProfilesByIds } from "#core/profiles/profile.service.ts";
import { toProfile, type Profile } from "#core/profiles/profile.ts";
import type { Db } from "#db/create-db.ts";
import { authorRow, findShownPosts } from "./post-views.repository.ts";
import { toPost, type PostRow } from "./posts.repository.ts";
import { segmentText, type TextSegment } from "./post-text.ts";
import type { Comment, Post } from "./social-types.ts";
import { whichViewerHas } from "./viewer-relations.ts";
import { isLive } from "./visibility.ts";

/** A post ready to show: its author's profile, its text in safe pieces, the viewer's like. */
export type PostView = {
  post: Post;
  author: Profile;
  segments: TextSegment[];
  viewerHasLiked: boolean;
  /** The viewer has a live repost of this post. */
  viewerHasReposted: boolean;
  /** For a repost: the post it shares. */
  repostOf: PostView | null;
};

export type CommentView = {
  comment: Comment;
  author: Profile;
  segments: TextSegment[];
  viewerHasLiked: boolean;
};

/**
 * Hydrates a page of posts in one statement whatever its size (originals of reposts, the
 * authors' profiles, the viewer's likes and reposts). Posts whose author is hidden, and
 * reposts whose original is gone, are left out.
 */
export async function viewPosts(
  db: Db,
  viewerId: UserId | null,
  posts: readonly Post[],
): Promise<PostView[]> {
  return (await viewPostsWithOwnProfile(db, viewerId, posts, false)).views;
}

/**
 * viewPosts, and in the same statement the viewer's own profile (shown to them even while
 * hidden, as getOwnProfile): what a page with a composer beside its feed needs, in one
 * round trip. The profile is null when signed out.
 */
export async function viewPostsWithOwnProfile(
  db: Db,
  viewerId: UserId | null,
  posts: readonly Post[],
  isOwnProfileWanted = true,
): Promise<{ views: PostView[]; ownProfile: Profile | null }> {
  const me = isOwnProfileWanted ? viewerId : null;
  if (posts.length === 0 && me === null) return { views: [], ownProfile: null };
  const originalIds = [...new Set(posts.flatMap((p) => (p.repostOfId ? [p.repostOfId] : [])))];
  const rows = await findShownPosts(db, {
    viewerId,
    ownProfileOf: me,
    posts,
    originalIds,
  });
  const authors = new Map<string, Profile>();
  const liked = new Set<bigint>();
  const reposted = new Set<bigint>();
  const originals = new Map<bigint, Post>();
  let ownProfile: Profile | null = null;
  for (const row of rows) {
    const person = authorRow(row);
    if (person.id === me) ownProfile ??= toProfile(person);
    // A hidden author has no public profile: their posts are not shown.
    if (person.hidden_at === null && !authors.has(person.id)) {
      authors.set(person.id, toProfile(person));
    }
    if (row.shown_id === null) continue;
    const id = BigInt(row.shown_id);
    if (row.viewer_has_liked) liked.add(id);
    if (row.viewer_has_reposted) reposted.add(id);
    if (row.id !== null && !originals.has(id)) originals.set(id, toPost(row as PostRow));
  }
  const view = (post: Post): PostView | null => {
    const author = authors.get(post.authorId);
    if (!author) return null;
    return withLazySegments(post.body, {
      post,
      author,
      viewerHasLiked: liked.has(post.id),
      viewerHasReposted: reposted.has(post.id),
      repostOf: null,
    });
  };
  const views = posts.flatMap((post) => {
    const shown = view(post);
    if (!shown) return [];
    if (post.repostOfId === null) return [shown];
    const original = originals.get(post.repostOfId);
    const originalView = original && isLive(original) ? view(original) : null;
    if (!originalView) return [];
    shown.repostOf = originalView;
    return [shown];
  });
  return { views, ownProfile };
}

/**
 * `segments` cut from the text on first read and kept: a GraphQL page that does not ask
 * for them (or asks through the Post type, which cuts its own) pays nothing for linkify.
 */
function withLazySegments<T extends object>(
  body: string,
  view: T,
): T & { segments: TextSegment[] } {
  let segments: TextSegment[] | undefined;
  return Object.defineProperty(view, "segments", {
    enumerable: true,
    get: () => (segments ??= segmentText(body)),
  }) as T & { segments: TextSegment[] };
}

/** Hydrates comments the same way: two queries for any number. */
export async function viewComments(
  db: Db,
  viewerId: UserId | null,
  comments: readonly Comment[],
): Promise<CommentView[]> {
  const [profiles, liked] = await Promise.all([
    getProfilesByIds(db, [...new Set(comments.map((c) => c.authorId))]),
    whichViewerHas(
      db,
      viewerId,
      "likedComments",
      comments.map((c) => c.id),
    ),
  ]);
  const authors = new Map(profiles.flatMap((p) => (p ? [[p.id, p] as const] : [])));
  return comments.flatMap((comment) => {
    const author = authors.get(comment.authorId);
    return author
      ? [
          {
            comment,
            author,
            segments: segmentText(comment.body),
            viewerHasLiked: liked.has(comment.id),
          },
        ]
      : [];
  });
}
