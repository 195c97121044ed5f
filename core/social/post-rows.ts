import { sql, type RawBuilder, type Selectable } from "kysely";
import type { UserId } from "#core/auth/ids.ts";
import type { Db, Trx } from "#db/create-db.ts";
import type { CommentsTable, PostsTable } from "#db/schema-social.ts";
import type { Comment, CommentId, Post, PostId } from "./social-types.ts";

export function toPost(row: Selectable<PostsTable>): Post {
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

export function toComment(row: Selectable<CommentsTable>): Comment {
  return {
    id: BigInt(row.id),
    postId: BigInt(row.post_id),
    authorId: row.author_id as UserId,
    parentId: row.parent_id === null ? null : BigInt(row.parent_id),
    body: row.body,
    createdAt: row.created_at,
    deletedAt: row.deleted_at,
    hiddenAt: row.hidden_at,
    likeCount: row.like_count,
  };
}

export const isLive = (item: { deletedAt: Date | null; hiddenAt: Date | null }) =>
  item.deletedAt === null && item.hiddenAt === null;

/**
 * Discover's rank: engagement on a log scale plus creation time, so a post needs ten
 * times the engagement to outrank one 12.5 hours newer (the Reddit "hot" curve). It only
 * changes when engagement does, so it can be indexed and paged by keyset.
 */
export function hotScoreAfter(change: { likes?: number; comments?: number; reposts?: number }) {
  const likes = change.likes ?? 0;
  const comments = change.comments ?? 0;
  const reposts = change.reposts ?? 0;
  return sql<number>`log(greatest(1, 1 + (like_count + ${likes}) + 2 * (comment_count + ${comments})
    + 3 * (repost_count + ${reposts}))) + extract(epoch from created_at) / 45000`;
}

export const newPostHotScore: RawBuilder<number> = sql<number>`extract(epoch from now()) / 45000`;

/** Adds to a post's engagement counters and re-ranks it, in the caller's transaction. */
export async function bumpPostCounters(
  trx: Trx,
  postId: PostId,
  change: { likes?: number; comments?: number; reposts?: number },
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

export async function getPostsByIds(db: Db, ids: readonly PostId[]): Promise<Post[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("posts")
    .selectAll()
    .where("id", "in", [...ids])
    .execute();
  return rows.map(toPost);
}

export async function getCommentsByIds(db: Db, ids: readonly CommentId[]): Promise<Comment[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("comments")
    .selectAll()
    .where("id", "in", [...ids])
    .execute();
  return rows.map(toComment);
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
