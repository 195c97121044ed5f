import { sql, type RawBuilder } from "kysely";
import type { UserId } from "#core/auth/ids.ts";
import { err, ok, type Result } from "#core/result.ts";
import type { Db } from "#db/create-db.ts";
import type { PostsTable } from "#db/schema-social.ts";
import type { Selectable } from "kysely";
import { decodeCursor, encodeCursor, InvalidCursorError, parseId } from "./cursor.ts";
import { normaliseTag } from "./post-text.ts";
import { toPost } from "./post-rows.ts";
import type { Page, Post, SocialFailure } from "./social-types.ts";

export type FeedKind = "following" | "discover";
export type FeedPage = { limit: number; after?: string | null };
type FeedResult = Result<Page<Post>, SocialFailure>;

/** A post Discover showed someone longer ago than this counts as seen and makes way. */
export const SEEN_GRACE_MINUTES = 10;

const invalidCursor = (error: InvalidCursorError): SocialFailure => ({
  code: "invalid",
  message: error.message,
  fieldErrors: { after: [error.message] },
});

/** Runs a feed query, turning a bad cursor into a refusal instead of an exception. */
async function paged(run: () => Promise<Page<Post>>): Promise<FeedResult> {
  try {
    return ok(await run());
  } catch (error) {
    if (error instanceof InvalidCursorError) return err(invalidCursor(error));
    throw error;
  }
}

function idCursor(after: string | null | undefined): bigint | null {
  if (!after) return null;
  const id = parseId(decodeCursor(after, ["s"])[0]);
  if (id === null) throw new InvalidCursorError();
  return id;
}

function pageOf(rows: Selectable<PostsTable>[], limit: number): Page<Post> {
  const items = rows.slice(0, limit).map(toPost);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeCursor([String(last.id)]) : null,
  };
}

/** A repost counts only while what it shares is still up. */
const originalIsLive: RawBuilder<boolean> = sql<boolean>`(p.repost_of_id is null or exists (
  select 1 from posts o where o.id = p.repost_of_id and o.deleted_at is null and o.hidden_at is null))`;

/**
 * Posts and reposts by the people the viewer follows (and the viewer), newest first.
 * Each followee's newest live posts come from the covering `posts_following_idx` (a
 * page's worth each, index only), the page is cut from those, and only then are its rows
 * read: a follower of a hundred busy people reads one page of posts, not all of theirs.
 */
export function followingFeed(db: Db, viewerId: UserId, page: FeedPage): Promise<FeedResult> {
  return paged(async () => {
    const after = idCursor(page.after);
    const { rows } = await sql<Selectable<PostsTable>>`
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
            ${after === null ? sql`` : sql`and p.id < ${after}`}
            and ${originalIsLive}
          order by p.id desc
          limit ${page.limit + 1}) newest
        order by newest.id desc
        limit ${page.limit + 1})
      select p.* from posts p join page on page.id = p.id
      order by p.id desc`.execute(db);
    return pageOf(rows, page.limit);
  });
}

/**
 * Everyone's posts ranked by recent engagement with time decay (`hot_score`). For a
 * signed-in viewer it leaves out their own posts, muted people and what Discover showed
 * them before (after a grace period, so a reload shows the same page); once nothing
 * unseen is left it carries on with what they have seen, so the feed never runs dry.
 */
export function discoverFeed(db: Db, viewerId: UserId | null, page: FeedPage): Promise<FeedResult> {
  return paged(async () => {
    let phase: "unseen" | "seen" = "unseen";
    let position: { score: number; id: bigint } | null = null;
    if (page.after) {
      const [p, score, id] = decodeCursor(page.after, ["s", "n", "s"]);
      const postId = parseId(id);
      if ((p !== "unseen" && p !== "seen") || postId === null) throw new InvalidCursorError();
      phase = p;
      position = { score, id: postId };
    }
    if (viewerId === null) phase = "seen";

    const query = (which: "unseen" | "seen", from: typeof position, limit: number) => {
      const seenFilter =
        viewerId === null
          ? sql``
          : sql`and p.author_id <> ${viewerId}
                and not exists (select 1 from mutes m
                                where m.user_id = ${viewerId} and m.muted_user_id = p.author_id)
                and ${which === "unseen" ? sql`not` : sql``} exists (
                  select 1 from post_seen s where s.user_id = ${viewerId} and s.post_id = p.id
                    and s.seen_at < now() - make_interval(mins => ${SEEN_GRACE_MINUTES}))`;
      return sql<Selectable<PostsTable>>`
        select p.* from posts p
        where p.deleted_at is null and p.hidden_at is null and p.repost_of_id is null
          ${from === null ? sql`` : sql`and (p.hot_score, p.id) < (${from.score}::float8, ${from.id})`}
          ${seenFilter}
        order by p.hot_score desc, p.id desc
        limit ${limit}`.execute(db);
    };

    const rows: { row: Selectable<PostsTable>; phase: "unseen" | "seen" }[] = [];
    const first = await query(phase, position, page.limit + 1);
    rows.push(...first.rows.map((row) => ({ row, phase })));
    if (phase === "unseen" && rows.length <= page.limit) {
      const rest = await query("seen", null, page.limit + 1 - rows.length);
      rows.push(...rest.rows.map((row) => ({ row, phase: "seen" as const })));
    }
    const shown = rows.slice(0, page.limit);
    if (viewerId !== null && shown.length > 0) {
      await db
        .insertInto("post_seen")
        .values(shown.map(({ row }) => ({ user_id: viewerId, post_id: row.id })))
        .onConflict((oc) => oc.columns(["user_id", "post_id"]).doNothing())
        .execute();
    }
    const last = shown.at(-1);
    return {
      items: shown.map(({ row }) => toPost(row)),
      nextCursor:
        rows.length > page.limit && last
          ? encodeCursor([last.phase, last.row.hot_score, String(last.row.id)])
          : null,
    };
  });
}

/** Posts with a hashtag, newest first. */
export function hashtagFeed(db: Db, rawTag: string, page: FeedPage): Promise<FeedResult> {
  const tag = normaliseTag(rawTag);
  if (tag === null) {
    const message = "A hashtag is one word of letters, digits or underscores.";
    return Promise.resolve(err({ code: "invalid", message, fieldErrors: { tag: [message] } }));
  }
  return paged(async () => {
    const after = idCursor(page.after);
    const { rows } = await sql<Selectable<PostsTable>>`
      select p.* from post_hashtags h join posts p on p.id = h.post_id
      where h.tag = ${tag}
        ${after === null ? sql`` : sql`and h.post_id < ${after}`}
        and p.deleted_at is null and p.hidden_at is null
      order by h.post_id desc
      limit ${page.limit + 1}`.execute(db);
    return pageOf(rows, page.limit);
  });
}

/** Someone's posts and reposts, newest first. */
export function profileFeed(db: Db, authorId: UserId, page: FeedPage): Promise<FeedResult> {
  return paged(async () => {
    const after = idCursor(page.after);
    const { rows } = await sql<Selectable<PostsTable>>`
      select p.* from posts p
      where p.author_id = ${authorId}
        and p.deleted_at is null and p.hidden_at is null
        ${after === null ? sql`` : sql`and p.id < ${after}`}
        and ${originalIsLive}
      order by p.id desc
      limit ${page.limit + 1}`.execute(db);
    return pageOf(rows, page.limit);
  });
}
