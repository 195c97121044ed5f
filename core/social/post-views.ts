import type { UserId } from "#core/auth/ids.ts";
import { getProfilesByIds } from "#core/profiles/profile.service.ts";
import type { Profile } from "#core/profiles/profile.ts";
import type { Db } from "#db/create-db.ts";
import { likedAmong } from "./likes.ts";
import { getPostsByIds, isLive } from "./post-rows.ts";
import { repostedAmong } from "./posts.ts";
import { segmentText, type TextSegment } from "./post-text.ts";
import type { Comment, Post } from "./social-types.ts";

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
 * Hydrates a page of posts in four queries whatever its size (originals of reposts,
 * authors, the viewer's likes and reposts). Posts whose author is hidden, and reposts whose
 * original is gone, are left out.
 */
export async function viewPosts(
  db: Db,
  viewerId: UserId | null,
  posts: readonly Post[],
): Promise<PostView[]> {
  const originalIds = [...new Set(posts.flatMap((p) => (p.repostOfId ? [p.repostOfId] : [])))];
  const originals = new Map((await getPostsByIds(db, originalIds)).map((p) => [p.id, p]));
  const all = [...posts, ...originals.values()];
  const ids = all.map((p) => p.id);
  const [profiles, liked, reposted] = await Promise.all([
    getProfilesByIds(db, [...new Set(all.map((p) => p.authorId))]),
    viewerId ? likedAmong(db, viewerId, "post", ids) : new Set<bigint>(),
    viewerId ? repostedAmong(db, viewerId, ids) : new Set<bigint>(),
  ]);
  const authors = new Map(profiles.flatMap((p) => (p ? [[p.id, p] as const] : [])));
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
  return posts.flatMap((post) => {
    const shown = view(post);
    if (!shown) return [];
    if (post.repostOfId === null) return [shown];
    const original = originals.get(post.repostOfId);
    const originalView = original && isLive(original) ? view(original) : null;
    if (!originalView) return [];
    shown.repostOf = originalView;
    return [shown];
  });
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
    viewerId
      ? likedAmong(
          db,
          viewerId,
          "comment",
          comments.map((c) => c.id),
        )
      : new Set<bigint>(),
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
