import { sql, type RawBuilder } from "kysely";
import type { UserId } from "#core/auth/ids.ts";
import type { Db } from "#db/create-db.ts";
import { hotScoreAfter } from "./posts.repository.ts";
import type { LikeTarget, PostId } from "./social-types.ts";

/** Where each kind of like is kept, and how its count moves (a post's also re-ranks it). */
function likeTables(target: LikeTarget, delta: 1 | -1) {
  return target.kind === "post"
    ? {
        things: sql.table("posts"),
        likes: sql.table("post_likes"),
        likedColumn: sql.ref("post_id"),
        counted: sql`like_count = like_count + ${delta}, hot_score = ${hotScoreAfter({ likes: delta })}`,
      }
    : {
        things: sql.table("comments"),
        likes: sql.table("comment_likes"),
        likedColumn: sql.ref("comment_id"),
        counted: sql`like_count = like_count + ${delta}`,
      };
}

/**
 * The thing liked, when anyone may see and act on it, locked (update lock first, as
 * lockLivePost explains) so it cannot be deleted or hidden while the like is recorded.
 */
function lockedLiveTarget(target: LikeTarget): RawBuilder<unknown> {
  return target.kind === "post"
    ? sql`select p.id, p.author_id, p.id as post_id, p.like_count from posts p
          where p.id = ${target.id} and p.deleted_at is null and p.hidden_at is null
          for no key update`
    : sql`select c.id, c.author_id, c.post_id, c.like_count from comments c
          join posts p on p.id = c.post_id
          where c.id = ${target.id} and c.deleted_at is null and c.hidden_at is null
            and p.deleted_at is null and p.hidden_at is null
          for no key update of c`;
}

export type RecordedLike = {
  authorId: UserId;
  /** The post liked, or the post of the comment liked. */
  postId: PostId;
  isNew: boolean;
  likeCount: number;
  /** Display names, null for a hidden person. */
  likerName: string | null;
  authorName: string | null;
};

/**
 * Records a like in one statement (its own transaction): locks the live target, adds the
 * like unless it is there already, moves the count, and returns the count as it now is
 * with both people's names. Null when the target is missing, deleted or hidden.
 */
export async function recordLike(
  db: Db,
  target: LikeTarget,
  likerId: UserId,
): Promise<RecordedLike | null> {
  const { things, likes, likedColumn, counted } = likeTables(target, 1);
  const { rows } = await sql<{
    author_id: string;
    post_id: string | bigint;
    is_new: boolean;
    like_count: number;
    liker_name: string | null;
    author_name: string | null;
  }>`
    with target as (${lockedLiveTarget(target)}),
    added as (
      insert into ${likes} (${likedColumn}, user_id) select id, ${likerId} from target
      on conflict (${likedColumn}, user_id) do nothing
      returning ${likedColumn} as id),
    counted as (
      update ${things} set ${counted} where id = (select id from added)
      returning like_count)
    select t.author_id, t.post_id,
      exists (select 1 from added) as is_new,
      coalesce((select like_count from counted), t.like_count) as like_count,
      (select display_name from users where id = ${likerId} and hidden_at is null) as liker_name,
      (select display_name from users where id = t.author_id and hidden_at is null) as author_name
    from target t`.execute(db);
  const row = rows[0];
  if (!row) return null;
  return {
    authorId: row.author_id as UserId,
    postId: BigInt(row.post_id),
    isNew: row.is_new,
    likeCount: row.like_count,
    likerName: row.liker_name,
    authorName: row.author_name,
  };
}

/**
 * Removes a like in one statement (its own transaction) and returns the like count as it
 * now is; null when the target does not exist. Deleted and hidden targets may be unliked.
 */
export async function removeLike(
  db: Db,
  target: LikeTarget,
  likerId: UserId,
): Promise<{ likeCount: number } | null> {
  const { things, likes, likedColumn, counted } = likeTables(target, -1);
  const { rows } = await sql<{ like_count: number }>`
    with target as (
      select id, like_count from ${things} where id = ${target.id} for no key update),
    removed as (
      delete from ${likes}
      where ${likedColumn} = (select id from target) and user_id = ${likerId}
      returning ${likedColumn} as id),
    counted as (
      update ${things} set ${counted} where id = (select id from removed)
      returning like_count)
    select coalesce((select like_count from counted), t.like_count) as like_count
    from target t`.execute(db);
  const row = rows[0];
  return row ? { likeCount: row.like_count } : null;
}

/** How many posts and comments someone liked in the last `minutes`. */
export async function countLikesSince(db: Db, userId: UserId, minutes: number): Promise<number> {
  const { rows } = await sql<{ count: number }>`
    select (select count(*) from post_likes
              where user_id = ${userId}
                and created_at > now() - make_interval(mins => ${minutes}))
         + (select count(*) from comment_likes
              where user_id = ${userId}
                and created_at > now() - make_interval(mins => ${minutes})) as count`.execute(db);
  return Number(rows[0]?.count ?? 1);
}

/** Who likes a post or a comment (to take back the rewards of its likes). */
export async function findLikerIds(db: Db, target: LikeTarget): Promise<UserId[]> {
  const rows =
    target.kind === "post"
      ? await db
          .selectFrom("post_likes")
          .select("user_id")
          .where("post_id", "=", target.id)
          .execute()
      : await db
          .selectFrom("comment_likes")
          .select("user_id")
          .where("comment_id", "=", target.id)
          .execute();
  return rows.map((r) => r.user_id as UserId);
}
