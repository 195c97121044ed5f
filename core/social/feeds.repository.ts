import { sql, type RawBuilder } from "kysely";
import type { UserId } from "#core/auth/ids.ts";
import type { Db } from "#db/create-db.ts";
import type { PostRow } from "./posts.repository.ts";
import type { PostId } from "./social-types.ts";

/** A repost counts only while what it shares is still up. */
const originalIsLive: RawBuilder<boolean> = sql<boolean>`(p.repost_of_id is null or exists (
  select 1 from posts o where o.id = p.repost_of_id and o.deleted_at is null and o.hidden_at is null))`;

const beforeId = (column: string, id: PostId | null) =>
  id === null ? sql`` : sql`and ${sql.ref(column)} < ${id}`;

/**
 * Posts and reposts by the people the viewer follows (and the viewer), newest first.
 * Each followee's newest live posts come from the covering `posts_following_idx` (a
 * page's worth each, index only), the page is cut from those, and only then are its rows
 * read: a follower of a hundred busy people reads one page of posts, not all of theirs.
 */
export async function findFollowingPage(
  db: Db,
  viewerId: UserId,
  after: PostId | null,
  limit: number,
): Promise<PostRow[]> {
  const { rows } = await sql<PostRow>`
    with authors as (
      select f.followee_id as author_id from follows f
      where f.follower_id = ${viewerId}
        and not exists (select 1 from mutes m
                        where m.user_id = ${viewerId} and m.muted_user_id = f.followee_id)
      union all select ${viewerId}::uuid
    ), page as (
      select newest.id from authors a
      cross join lateral (
        select p.id from posts p
        where p.author_id = a.author_id
          and p.deleted_at is null and p.hidden_at is null
          ${beforeId("p.id", after)}
          and ${originalIsLive}
        order by p.id desc
        limit ${limit}) newest
      order by newest.id desc
      limit ${limit})
    select p.* from posts p join page on page.id = p.id
    order by p.id desc`.execute(db);
  return rows;
}

/**
 * Discover's posts by `hot_score`, from `from` on. For a signed-in viewer it leaves out
 * their own posts and muted people, and takes only posts Discover showed them before
 * (`seen`) or only the others (`unseen`); a post shown within `graceMinutes` is unseen.
 */
export async function findDiscoverPage(
  db: Db,
  viewerId: UserId | null,
  which: "unseen" | "seen",
  from: { score: number; id: PostId } | null,
  limit: number,
  graceMinutes: number,
): Promise<PostRow[]> {
  const seenFilter =
    viewerId === null
      ? sql``
      : sql`and p.author_id <> ${viewerId}
            and not exists (select 1 from mutes m
                            where m.user_id = ${viewerId} and m.muted_user_id = p.author_id)
            and ${which === "unseen" ? sql`not` : sql``} exists (
              select 1 from post_seen s where s.user_id = ${viewerId} and s.post_id = p.id
                and s.seen_at < now() - make_interval(mins => ${graceMinutes}))`;
  const { rows } = await sql<PostRow>`
    select p.* from posts p
    where p.deleted_at is null and p.hidden_at is null and p.repost_of_id is null
      ${from === null ? sql`` : sql`and (p.hot_score, p.id) < (${from.score}::float8, ${from.id})`}
      ${seenFilter}
    order by p.hot_score desc, p.id desc
    limit ${limit}`.execute(db);
  return rows;
}

/** Records that Discover showed the viewer these posts (the first time counts). */
export async function markPostsSeen(
  db: Db,
  viewerId: UserId,
  postIds: readonly (PostId | string)[],
): Promise<void> {
  if (postIds.length === 0) return;
  await db
    .insertInto("post_seen")
    .values(postIds.map((id) => ({ user_id: viewerId, post_id: id as PostId })))
    .onConflict((oc) => oc.columns(["user_id", "post_id"]).doNothing())
    .execute();
}

/** Live posts with a hashtag, newest first. */
export async function findHashtagPage(
  db: Db,
  tag: string,
  after: PostId | null,
  limit: number,
): Promise<PostRow[]> {
  const { rows } = await sql<PostRow>`
    select p.* from post_hashtags h join posts p on p.id = h.post_id
    where h.tag = ${tag}
      ${beforeId("h.post_id", after)}
      and p.deleted_at is null and p.hidden_at is null
    order by h.post_id desc
    limit ${limit}`.execute(db);
  return rows;
}

/** Someone's live posts and reposts, newest first. */
export async function findProfilePage(
  db: Db,
  authorId: UserId,
  after: PostId | null,
  limit: number,
): Promise<PostRow[]> {
  const { rows } = await sql<PostRow>`
    select p.* from posts p
    where p.author_id = ${authorId}
      and p.deleted_at is null and p.hidden_at is null
      ${beforeId("p.id", after)}
      and ${originalIsLive}
    order by p.id desc
    limit ${limit}`.execute(db);
  return rows;
}
