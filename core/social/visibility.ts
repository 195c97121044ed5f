import type { UserId } from "#core/auth/ids.ts";
import type { Db } from "#db/create-db.ts";
import { findCommentsByIds } from "./comments.repository.ts";
import { findPeople } from "./people.repository.ts";
import { findPostsByIds } from "./posts.repository.ts";
import type { Comment, CommentId, Post, PostId } from "./social-types.ts";

// Who may see a post or a comment, written once. Core reads through `readsFrom(db)`;
// GraphQL passes its per-request loaders, so a page already loaded costs nothing more.

export const isLive = (item: { deletedAt: Date | null; hiddenAt: Date | null }) =>
  item.deletedAt === null && item.hiddenAt === null;

/** Batched reads the rule needs; each answer lines up with the ids asked. */
export type VisibilityReads = {
  posts: (ids: readonly PostId[]) => Promise<readonly (Post | null)[]>;
  comments: (ids: readonly CommentId[]) => Promise<readonly (Comment | null)[]>;
  /** Whether each person has a public profile (a hidden person's things are not shown). */
  areShown: (ids: readonly UserId[]) => Promise<readonly boolean[]>;
};

function inOrder<K, T extends { id: K }>(ids: readonly K[], found: readonly T[]): (T | null)[] {
  const byId = new Map(found.map((item) => [item.id, item]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** The rule's reads straight from the database: one statement each. */
export function readsFrom(db: Db): VisibilityReads {
  return {
    posts: async (ids) => inOrder(ids, await findPostsByIds(db, ids)),
    comments: async (ids) => inOrder(ids, await findCommentsByIds(db, ids)),
    areShown: async (ids) => {
      const people = await findPeople(db, ids);
      return ids.map((id) => people.has(id));
    },
  };
}

/** Keeps the items whose author is shown; one batched read for all of them. */
async function byShownAuthors<T extends { authorId: UserId }>(
  reads: VisibilityReads,
  items: readonly (T | null)[],
): Promise<(T | null)[]> {
  const present = items.flatMap((item) => (item ? [item] : []));
  const shown = present.length === 0 ? [] : await reads.areShown(present.map((i) => i.authorId));
  let next = 0;
  return items.map((item) => (item && shown[next++] ? item : null));
}

/**
 * Posts as anyone may see them, in the order asked: null where a post does not exist,
 * was deleted or hidden, or its author is hidden — the rule the feeds apply too.
 */
export async function visiblePosts(
  reads: VisibilityReads,
  ids: readonly PostId[],
): Promise<(Post | null)[]> {
  if (ids.length === 0) return [];
  const posts = await reads.posts(ids);
  return byShownAuthors(
    reads,
    posts.map((post) => (post && isLive(post) ? post : null)),
  );
}

/**
 * Comments as anyone may see them, in the order asked: live, by a shown author, on a
 * post that is itself visible.
 */
export async function visibleComments(
  reads: VisibilityReads,
  ids: readonly CommentId[],
): Promise<(Comment | null)[]> {
  if (ids.length === 0) return [];
  const comments = await reads.comments(ids);
  const live = comments.map((c) => (c && isLive(c) ? c : null));
  const present = live.flatMap((c) => (c ? [c] : []));
  const [shown, posts] = await Promise.all([
    reads.areShown(present.map((c) => c.authorId)),
    visiblePosts(
      reads,
      present.map((c) => c.postId),
    ),
  ]);
  let next = 0;
  return live.map((comment) => {
    if (!comment) return null;
    const i = next++;
    return shown[i] && posts[i] ? comment : null;
  });
}
