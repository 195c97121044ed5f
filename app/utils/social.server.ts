import { redirect, type AppLoadContext } from "@remix-run/node";
import type { TextPiece } from "#app/components/social/post-text.tsx";
import type { PostCardData, PersonSummary, RewardNote } from "#app/components/social/types.ts";
import type { UserId } from "#core/auth/ids.ts";
import type { ValidatedSession } from "#core/auth/session.service.ts";
import { formatMicro } from "#core/ledger/amount.ts";
import type { Profile } from "#core/profiles/profile.ts";
import type { RewardOutcome } from "#core/rewards/reward-types.ts";
import { parseId } from "#core/social/cursor.ts";
import { EDIT_WINDOW_MS } from "#core/social/posts.ts";
import { viewPosts, viewPostsWithOwnProfile, type PostView } from "#core/social/post-views.ts";
import type { TextSegment } from "#core/social/post-text.ts";
import type { Post, SocialFailure } from "#core/social/social-types.ts";
import { displayAmount } from "./display-amount.server.ts";
import { safeRedirectPath } from "./viewer.server.ts";

/** How many posts a feed page shows. */
export const FEED_PAGE_SIZE = 20;

/** The id in a `/p/<postId>`-style URL, or a 404 for anything that is not one. */
export function requireIdParam(value: string | undefined): bigint {
  const id = parseId(value);
  if (id === null) throw new Response("Not Found", { status: 404 });
  return id;
}

/** HTTP status for a refusal from core/social. */
export function failureStatus(failure: SocialFailure): number {
  switch (failure.code) {
    case "not_found":
      return 404;
    case "forbidden":
      return 403;
    default:
      return 400;
  }
}

/**
 * Where a form wants to go back to afterwards (its `redirectTo` field), else where the
 * request came from when that is our own page, else `fallback`.
 */
export function backTo(form: FormData, request: Request, fallback: string): string {
  const field = form.get("redirectTo");
  if (typeof field === "string" && field.length > 0) return safeRedirectPath(field);
  const referer = request.headers.get("referer");
  if (referer) {
    try {
      const url = new URL(referer);
      if (url.origin === new URL(request.url).origin) {
        return safeRedirectPath(`${url.pathname}${url.search}${url.hash}`);
      }
    } catch {
      // A malformed Referer is ignored.
    }
  }
  return fallback;
}

/**
 * The signed-in viewer for a mutation; anyone else is sent to sign in and brought back
 * to the page the form was on (not to the resource route, which has no page).
 */
export function requireActor(
  context: AppLoadContext,
  request: Request,
  form: FormData,
  fallback: string,
): ValidatedSession {
  if (context.viewer) return context.viewer;
  const redirectTo = backTo(form, request, fallback);
  throw redirect(`/signin?${new URLSearchParams({ redirectTo })}`);
}

// A fixed zone so the server's words and the browser's hydration agree.
const dayMonth = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  timeZone: "UTC",
});
const dayMonthYear = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });
const fullDate = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});

/** "now", "5m", "3h", "2d", "12 Mar", "12 Mar 2024": how long ago, as social apps say it. */
export function timeAgo(date: Date, now = new Date()): string {
  const seconds = Math.max(0, Math.floor((now.getTime() - date.getTime()) / 1000));
  if (seconds < 60) return "now";
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  if (seconds < 7 * 86_400) return `${Math.floor(seconds / 86_400)}d`;
  return date.getUTCFullYear() === now.getUTCFullYear()
    ? dayMonth.format(date)
    : dayMonthYear.format(date);
}

export function timeStamp(date: Date, now = new Date()) {
  return { iso: date.toISOString(), ago: timeAgo(date, now), full: `${fullDate.format(date)} UTC` };
}

export function toPieces(segments: readonly TextSegment[]): TextPiece[] {
  return segments.map((segment) => ({ ...segment }));
}

export function personSummary(profile: Profile): PersonSummary {
  return {
    handle: profile.handle,
    displayName: profile.displayName,
    avatarUrl: profile.avatarUrl,
  };
}

function cardOf(view: PostView, viewerId: UserId | null, now: Date): PostCardData {
  const shown = view.repostOf ?? view;
  const post = shown.post;
  const isOwn = viewerId !== null && post.authorId === viewerId;
  return {
    key: String(view.post.id),
    id: String(post.id),
    author: personSummary(shown.author),
    time: timeStamp(post.createdAt, now),
    isEdited: post.editedAt !== null,
    pieces: toPieces(shown.segments),
    likeCount: post.likeCount,
    commentCount: post.commentCount,
    repostCount: post.repostCount,
    viewerHasLiked: shown.viewerHasLiked,
    viewerHasReposted: shown.viewerHasReposted,
    isOwn,
    canEdit: isOwn && now.getTime() - post.createdAt.getTime() < EDIT_WINDOW_MS,
    repost: view.repostOf
      ? {
          id: String(view.post.id),
          by: personSummary(view.author),
          isOwn: viewerId !== null && view.post.authorId === viewerId,
        }
      : null,
  };
}

/** A page of posts as cards, hydrated in one statement. */
export async function loadPostCards(
  context: AppLoadContext,
  posts: readonly Post[],
): Promise<PostCardData[]> {
  const viewerId = context.viewer?.user.id ?? null;
  const views = await viewPosts(context.services.db, viewerId, posts);
  const now = new Date();
  return views.map((view) => cardOf(view, viewerId, now));
}

/**
 * loadPostCards, and the viewer's own profile for a composer (null when signed out),
 * read in the same statement.
 */
export async function loadPostCardsAndMe(
  context: AppLoadContext,
  posts: readonly Post[],
): Promise<{ cards: PostCardData[]; me: PersonSummary | null }> {
  const viewerId = context.viewer?.user.id ?? null;
  const { views, ownProfile } = await viewPostsWithOwnProfile(context.services.db, viewerId, posts);
  const now = new Date();
  return {
    cards: views.map((view) => cardOf(view, viewerId, now)),
    me: ownProfile ? personSummary(ownProfile) : null,
  };
}

const holdWords = (outcome: RewardOutcome) =>
  outcome.reason?.message ? outcome.reason.message : "Pending until its hold ends.";

/** What an action earned the person who did it, in words for a button to show. */
export function rewardNote(outcome: RewardOutcome | null): RewardNote | null {
  if (!outcome) return null;
  const amount = displayAmount(outcome.amount);
  switch (outcome.status) {
    case "held":
      return {
        status: "pending",
        amount,
        text: `+${formatMicro(outcome.amount)} MICRO pending`,
        detail: holdWords(outcome),
      };
    case "available":
      return {
        status: "paid",
        amount,
        text: `+${formatMicro(outcome.amount)} MICRO`,
        detail: outcome.memo,
      };
    case "refused":
      return {
        status: "none",
        amount,
        text: "No reward this time",
        detail: outcome.reason?.message ?? "This like earned nothing.",
      };
    case "reversed":
      return {
        status: "none",
        amount,
        text: "No new reward",
        detail: "You were rewarded for this like before it was undone.",
      };
  }
}
