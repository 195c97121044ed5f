import type { Selectable } from "kysely";
import type { UserId } from "#core/auth/ids.ts";
import type { Db, Trx } from "#db/create-db.ts";
import type { CommentsTable } from "#db/schema-social.ts";
import type { Comment, CommentId, PostId } from "./social-types.ts";

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

/** Comments by id as stored: deleted and hidden ones included. */
export async function findCommentsByIds(db: Db, ids: readonly CommentId[]): Promise<Comment[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("comments")
    .selectAll()
    .where("id", "in", [...ids])
    .execute();
  return rows.map(toComment);
}

/** A live comment on this post (the one a reply answers), or null. */
export async function findLiveCommentOn(
  trx: Trx,
  postId: PostId,
  commentId: CommentId,
): Promise<Comment | null> {
  const row = await trx
    .selectFrom("comments")
    .selectAll()
    .where("id", "=", commentId)
    .where("post_id", "=", postId)
    .where("deleted_at", "is", null)
    .where("hidden_at", "is", null)
    .executeTakeFirst();
  return row ? toComment(row) : null;
}

export async function insertComment(
  trx: Trx,
  comment: { postId: PostId; authorId: UserId; parentId: CommentId | null; body: string },
): Promise<Comment> {
  const row = await trx
    .insertInto("comments")
    .values({
      post_id: comment.postId,
      author_id: comment.authorId,
      parent_id: comment.parentId,
      body: comment.body,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toComment(row);
}

/**
 * A comment locked for its author to delete, deleted ones included. FOR NO KEY UPDATE,
 * not FOR UPDATE: a reply being written holds the post's lock and takes KEY SHARE on this
 * comment (its parent_id's foreign key); FOR UPDATE conflicts with that, and with the
 * deletion then waiting for the post, the two deadlocked.
 */
export async function lockComment(trx: Trx, commentId: CommentId): Promise<Comment | null> {
  const row = await trx
    .selectFrom("comments")
    .selectAll()
    .where("id", "=", commentId)
    .forNoKeyUpdate()
    .executeTakeFirst();
  return row ? toComment(row) : null;
}

export async function markCommentDeleted(
  trx: Trx,
  commentId: CommentId,
  at: Date,
): Promise<Comment> {
  const row = await trx
    .updateTable("comments")
    .set({ deleted_at: at })
    .where("id", "=", commentId)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toComment(row);
}

/** Hides a comment not hidden yet; null when it already was (or does not exist). */
export async function markCommentHidden(
  trx: Trx,
  commentId: CommentId,
  at: Date,
): Promise<{ postId: PostId; isDeleted: boolean } | null> {
  const row = await trx
    .updateTable("comments")
    .set({ hidden_at: at })
    .where("id", "=", commentId)
    .where("hidden_at", "is", null)
    .returning(["post_id", "deleted_at"])
    .executeTakeFirst();
  return row ? { postId: BigInt(row.post_id), isDeleted: row.deleted_at !== null } : null;
}

/** The ids of someone's comments not hidden yet. */
export async function findUnhiddenCommentIdsBy(db: Db, authorId: UserId): Promise<CommentId[]> {
  const rows = await db
    .selectFrom("comments")
    .select("id")
    .where("author_id", "=", authorId)
    .where("hidden_at", "is", null)
    .execute();
  return rows.map((r) => BigInt(r.id));
}

/** A post's live top-level comments after `afterId`, oldest first; `limit` of them. */
export async function findThreadStarts(
  db: Db,
  postId: PostId,
  afterId: CommentId,
  limit: number,
): Promise<Comment[]> {
  const rows = await db
    .selectFrom("comments")
    .selectAll()
    .where("post_id", "=", postId)
    .where("parent_id", "is", null)
    .where("id", ">", afterId)
    .where("deleted_at", "is", null)
    .where("hidden_at", "is", null)
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map(toComment);
}

/** The live replies to these comments, oldest first. */
export async function findLiveReplies(db: Db, parentIds: readonly CommentId[]): Promise<Comment[]> {
  if (parentIds.length === 0) return [];
  const rows = await db
    .selectFrom("comments")
    .selectAll()
    .where("parent_id", "in", [...parentIds])
    .where("deleted_at", "is", null)
    .where("hidden_at", "is", null)
    .orderBy("id")
    .execute();
  return rows.map(toComment);
}
