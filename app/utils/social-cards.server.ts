import type { AppLoadContext } from "@remix-run/node";
import type { TextPiece } from "#app/components/social/post-text.tsx";
import type { PostCardData, PersonSummary } from "#app/components/social/types.ts";
import type { UserId } from "#core/auth/ids.ts";
import type { Profile } from "#core/profiles/profile.ts";
import { EDIT_WINDOW_MS } from "#core/social/posts.ts";
import { viewPosts, viewPostsWithOwnProfile, type PostView } from "#core/social/post-views.ts";
import type { TextSegment } from "#core/social/post-text.ts";
import type { Post } from "#core/social/social-types.ts";
import { timeStamp } from "./time-stamp.server.ts";

/** How many posts a feed page shows. */
export const FEED_PAGE_SIZE = 20;

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
