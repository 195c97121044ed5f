import type { UserId } from "#core/auth/ids.ts";
import { err, ok, type Result } from "#core/result.ts";
import type { Db } from "#db/create-db.ts";
import { decodeCursor, encodeCursor, InvalidCursorError, parseId } from "./cursor.ts";
import {
  findDiscoverPage,
  findFollowingPage,
  findHashtagPage,
  findProfilePage,
  markPostsSeen,
} from "./feeds.repository.ts";
import { normaliseTag } from "./post-text.ts";
import { toPost, type PostRow } from "./posts.repository.ts";
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

function pageOf(rows: PostRow[], limit: number): Page<Post> {
  const items = rows.slice(0, limit).map(toPost);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeCursor([String(last.id)]) : null,
  };
}

/**
 * Posts and reposts by the people the viewer follows (and the viewer), newest first.
 * Each followee's newest live posts come from the covering `posts_following_idx` (a
 * page's worth each, index only), the page is cut from those, and only then are its rows
 * read: a follower of a hundred busy people reads one page of posts, not all of theirs.
 */
export function followingFeed(db: Db, viewerId: UserId, page: FeedPage): Promise<FeedResult> {
  return paged(async () => {
    const after = idCursor(page.after);
    const rows = await findFollowingPage(db, viewerId, after, page.limit + 1);
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

    const query = (which: "unseen" | "seen", from: typeof position, limit: number) =>
      findDiscoverPage(db, viewerId, which, from, limit, SEEN_GRACE_MINUTES);

    const rows: { row: PostRow; phase: "unseen" | "seen" }[] = [];
    const first = await query(phase, position, page.limit + 1);
    rows.push(...first.map((row) => ({ row, phase })));
    if (phase === "unseen" && rows.length <= page.limit) {
      const rest = await query("seen", null, page.limit + 1 - rows.length);
      rows.push(...rest.map((row) => ({ row, phase: "seen" as const })));
    }
    const shown = rows.slice(0, page.limit);
    if (viewerId !== null) {
      await markPostsSeen(
        db,
        viewerId,
        shown.map(({ row }) => row.id),
      );
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
    const rows = await findHashtagPage(db, tag, after, page.limit + 1);
    return pageOf(rows, page.limit);
  });
}

/** Someone's posts and reposts, newest first. */
export function profileFeed(db: Db, authorId: UserId, page: FeedPage): Promise<FeedResult> {
  return paged(async () => {
    const after = idCursor(page.after);
    const rows = await findProfilePage(db, authorId, after, page.limit + 1);
    return pageOf(rows, page.limit);
  });
}
