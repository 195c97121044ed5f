import { sql } from "kysely";
import type { UserId } from "#core/auth/ids.ts";
import type { Db } from "#db/create-db.ts";

/** A post someone could answer, with the words the suggestion needs. */
export type PostToAnswerRow = {
  id: string;
  body: string;
  author_handle: string;
  author_display_name: string;
};

/** How many of each followee's newest posts are considered: enough for "recent", bounded work. */
const POSTS_PER_FOLLOWEE = 3;

/**
 * The newest live original post since `since` by someone the viewer follows (not muted,
 * not hidden) that the viewer has not commented on. Each followee's newest few posts come
 * from the covering `posts_following_idx`, so a follower of busy people reads little.
 */
export async function findFollowedPostToAnswer(
  db: Db,
  viewerId: UserId,
  since: Date,
): Promise<PostToAnswerRow | undefined> {
  const { rows } = await sql<PostToAnswerRow>`
    select p.id::text as id, p.body, u.handle as author_handle, u.display_name as author_display_name
    from follows f
    join users u on u.id = f.followee_id and u.hidden_at is null
    cross join lateral (
      select p.id from posts p
      where p.author_id = f.followee_id
        and p.deleted_at is null and p.hidden_at is null
        and p.repost_of_id is null
      order by p.id desc
      limit ${POSTS_PER_FOLLOWEE}) newest
    join posts p on p.id = newest.id
    where f.follower_id = ${viewerId}
      and not exists (select 1 from mutes m
                      where m.user_id = ${viewerId} and m.muted_user_id = f.followee_id)
      and p.created_at >= ${since}
      and not exists (select 1 from comments c where c.post_id = p.id and c.author_id = ${viewerId})
    order by p.id desc
    limit 1`.execute(db);
  return rows[0];
}

/**
 * The hottest live original post since `since` by anyone else shown and not muted that
 * the viewer has not commented on: a conversation to join for someone who follows nobody yet.
 */
export async function findPopularPostToAnswer(
  db: Db,
  viewerId: UserId,
  since: Date,
): Promise<PostToAnswerRow | undefined> {
  const { rows } = await sql<PostToAnswerRow>`
    select p.id::text as id, p.body, u.handle as author_handle, u.display_name as author_display_name
    from posts p
    join users u on u.id = p.author_id and u.hidden_at is null
    where p.deleted_at is null and p.hidden_at is null
      and p.repost_of_id is null
      and p.author_id <> ${viewerId}
      and p.created_at >= ${since}
      and not exists (select 1 from mutes m
                      where m.user_id = ${viewerId} and m.muted_user_id = p.author_id)
      and not exists (select 1 from comments c where c.post_id = p.id and c.author_id = ${viewerId})
    order by p.hot_score desc, p.id desc
    limit 1`.execute(db);
  return rows[0];
}

/** The games a user has finished at least one verified run of. */
export async function findPlayedGameIds(db: Db, userId: UserId): Promise<Set<string>> {
  const rows = await db
    .selectFrom("game_runs")
    .select("game_id")
    .distinct()
    .where("user_id", "=", userId)
    .where("status", "=", "verified")
    .execute();
  return new Set(rows.map((r) => r.game_id));
}
