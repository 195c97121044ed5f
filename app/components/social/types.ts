import type { DisplayAmount } from "#shared/money.ts";
import type { TextPiece } from "./post-text.tsx";

/** Who wrote something, as a card shows them. */
export type PersonSummary = { handle: string; displayName: string; avatarUrl: string };

/** A moment as loaders send it: exact, "5m"-style, and in full for a tooltip. */
export type TimeStamp = { iso: string; ago: string; full: string };

/** A post ready for a card. For a repost, the card shows the original and says who shared it. */
export type PostCardData = {
  /** Unique within a list: the feed row's id (the repost's own id for a repost). */
  key: string;
  /** The post shown (the original, for a repost). */
  id: string;
  author: PersonSummary;
  time: TimeStamp;
  isEdited: boolean;
  pieces: TextPiece[];
  likeCount: number;
  commentCount: number;
  repostCount: number;
  viewerHasLiked: boolean;
  viewerHasReposted: boolean;
  isOwn: boolean;
  /** Its author may still edit it (the edit window is open). */
  canEdit: boolean;
  repost: { id: string; by: PersonSummary; isOwn: boolean } | null;
};

/** What an action earned the person who did it. */
export type RewardNote = {
  status: "pending" | "paid" | "none";
  amount: DisplayAmount;
  /** "+0.0002 MICRO pending" */
  text: string;
  detail: string;
};

/** The answer of a like or unlike. */
export type LikeResult =
  | { ok: true; liked: boolean; likeCount: number; reward: RewardNote | null }
  | { ok: false; error: string };

/** A page of a list, as loaders return it for cursor links and infinite scroll. */
export type ListPage<T> = { items: T[]; nextCursor: string | null };
