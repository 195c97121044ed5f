import { sql, type RawBuilder, type Selectable } from "kysely";
import type { UserId } from "#core/auth/ids.ts";
import type { Db, Trx } from "#db/create-db.ts";
import type { PostsTable } from "#db/schema-social.ts";
import type { Post, PostId } from "./social-types.ts";

export type PostRow = Selectable<PostsTable>;
export type EngagementChange = { likes?: number; comments?: number; reposts?: number };

export function toPost(row: PostRow): Post {
  return {
    id: BigInt(row.id),
    authorId: row.author_id as UserId,
    body: row.body,
    repostOfId: row.repost_of_id === null ? null : BigInt(row.repost_of_id),
    createdAt: row.created_at,
    editedAt: row.edited_at,
    deletedAt: row.deleted_at,
    hiddenAt: row.hidden_at,
    likeCount: row.like_count,
    commentCount: row.comment_count,
    repostCount: row.repost_count,
  };
}

/**
 * Discover's rank: engagement on a log scale plus creation time, so a post needs ten
 * times the engagement to outrank one 12.5 hours newer (the Reddit "hot" curve). It only
 * changes when engagement does, so it can be indexed and paged by keyset.
 */
export function hotScoreAfter(change: EngagementChange): RawBuilder<number> {
  const likes = change.likes ?? 0;
  const comments = change.comments ?? 0;
  const reposts = change.reposts ?? 0;
  return sql<number>`log(greatest(1, 1 + (like_count + ${likes}) + 2 * (comment_count + ${comments})
    + 3 * (repost_count + ${reposts}))) + extract(epoch from created_at) / 45000`;
}

const newPostHotScore: RawBuilder<number> = sql<number>`extract(epoch from now()) / 45000`;

/** Adds to a post's engagement counters and re-ranks it, in the caller's transaction. */
export async function bumpPostCounters(
  trx: Trx,
  postId: PostId,
  change: EngagementChange,
): Promise<void> {
  await trx
    .updateTable("posts")
    .set({
      like_count: sql`like_count + ${change.likes ?? 0}`,
      comment_count: sql`comment_count + ${change.comments ?? 0}`,
      repost_count: sql`repost_count + ${change.reposts ?? 0}`,
      hot_score: hotScoreAfter(change),
    })
    .where("id", "=", postId)
    .execute();
}

/** Posts by id as stored: deleted and hidden ones included. */
export async function findPostsByIds(db: Db, ids: readonly PostId[]): Promise<Post[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("posts")
    .selectAll()
    .where("id", "in", [...ids])
    .execute();
  return rows.map(toPost);
}

/**
 * A post anyone may see and act on (not deleted, not hidden), locked for the counter
 * update that follows. Taking the update lock first (not a share lock) matters: two
 * share-lockers that both go on to update the row would deadlock.
 */
export async function lockLivePost(trx: Trx, postId: PostId): Promise<Post | null> {
  const row = await trx
    .selectFrom("posts")
    .selectAll()
    .where("id", "=", postId)
    .where("deleted_at", "is", null)
    .where("hidden_at", "is", null)
    .forNoKeyUpdate()
    .executeTakeFirst();
  return row ? toPost(row) : null;
}

/**
 * A post locked for its author to change, deleted ones included when `isDeletedWanted`.
 * FOR NO KEY UPDATE, not FOR UPDATE: nothing here changes a key, and FOR UPDATE would
 * conflict with the KEY SHARE locks that rows referencing the post (likes, comments,
 * reposts, notifications) take on it as they are written.
 */
export async function lockPost(
  trx: Trx,
  postId: PostId,
  options: { isDeletedWanted: boolean },
): Promise<Post | null> {
  const row = await trx
    .selectFrom("posts")
    .selectAll()
    .where("id", "=", postId)
    .$if(!options.isDeletedWanted, (q) => q.where("deleted_at", "is", null))
    .forNoKeyUpdate()
    .executeTakeFirst();
  return row ? toPost(row) : null;
}

export async function insertPost(trx: Trx, authorId: UserId, body: string): Promise<Post> {
  const row = await trx
    .insertInto("posts")
    .values({ author_id: authorId, body, hot_score: newPostHotScore })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toPost(row);
}

export async function updatePostBody(
  trx: Trx,
  postId: PostId,
  body: string,
  editedAt: Date,
): Promise<Post> {
  const row = await trx
    .updateTable("posts")
    .set({ body, edited_at: editedAt })
    .where("id", "=", postId)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toPost(row);
}

export async function markPostDeleted(trx: Trx, postId: PostId, at: Date): Promise<Post> {
  const row = await trx
    .updateTable("posts")
    .set({ deleted_at: at })
    .where("id", "=", postId)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toPost(row);
}

/** Hides a post not hidden yet; null when it already was (or does not exist). */
export async function markPostHidden(
  db: Db,
  postId: PostId,
  at: Date,
): Promise<{ repostOfId: PostId | null } | null> {
  const row = await db
    .updateTable("posts")
    .set({ hidden_at: at })
    .where("id", "=", postId)
    .where("hidden_at", "is", null)
    .returning("repost_of_id")
    .executeTakeFirst();
  if (!row) return null;
  return { repostOfId: row.repost_of_id === null ? null : BigInt(row.repost_of_id) };
}

/** The ids of someone's posts that are neither deleted nor hidden. */
export async function findLivePostIdsBy(db: Db, authorId: UserId): Promise<PostId[]> {
  const rows = await db
    .selectFrom("posts")
    .select("id")
    .where("author_id", "=", authorId)
    .where("hidden_at", "is", null)
    .where("deleted_at", "is", null)
    .execute();
  return rows.map((r) => BigInt(r.id));
}

export async function replaceHashtags(trx: Trx, postId: PostId, tags: readonly string[]) {
  await trx.deleteFrom("post_hashtags").where("post_id", "=", postId).execute();
  if (tags.length > 0) {
    await trx
      .insertInto("post_hashtags")
      .values(tags.map((tag) => ({ tag, post_id: postId })))
      .execute();
  }
}

/** Moves the count of posts on someone's profile. */
export async function addToPostCount(trx: Trx, userId: UserId, delta: number): Promise<void> {
  await trx
    .updateTable("users")
    .set({ post_count: sql`post_count + ${delta}` })
    .where("id", "=", userId)
    .execute();
}

/** A new repost, or null when the person already has a live repost of the original. */
export async function insertRepost(
  trx: Trx,
  userId: UserId,
  originalId: PostId,
): Promise<Post | null> {
  const row = await trx
    .insertInto("posts")
    .values({ author_id: userId, repost_of_id: originalId, hot_score: newPostHotScore })
    .onConflict((oc) =>
      oc
        .columns(["author_id", "repost_of_id"])
        .where("repost_of_id", "is not", null)
        .where("deleted_at", "is", null)
        .doNothing(),
    )
    .returningAll()
    .executeTakeFirst();
  return row ? toPost(row) : null;
}

export async function findLiveRepost(trx: Trx, userId: UserId, originalId: PostId): Promise<Post> {
  const row = await trx
    .selectFrom("posts")
    .selectAll()
    .where("author_id", "=", userId)
    .where("repost_of_id", "=", originalId)
    .where("deleted_at", "is", null)
    .executeTakeFirstOrThrow();
  return toPost(row);
}
