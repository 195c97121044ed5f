import type { UserId } from "#core/auth/ids.ts";
import type { FieldErrors } from "#core/result.ts";
import type { NotificationKind } from "#db/schema-social.ts";

export type PostId = bigint;
export type CommentId = bigint;

/** A post as stored. A repost has `repostOfId` and an empty body. */
export type Post = {
  id: PostId;
  authorId: UserId;
  body: string;
  repostOfId: PostId | null;
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
  hiddenAt: Date | null;
  likeCount: number;
  commentCount: number;
  repostCount: number;
};

/** What a like is for. */
export type LikeTarget = { kind: "post"; id: PostId } | { kind: "comment"; id: CommentId };

export type Comment = {
  id: CommentId;
  postId: PostId;
  authorId: UserId;
  /** The comment this one replies to; replies go one level deep. */
  parentId: CommentId | null;
  body: string;
  createdAt: Date;
  deletedAt: Date | null;
  hiddenAt: Date | null;
  likeCount: number;
};

export type SocialFailureCode =
  | "invalid"
  | "not_found"
  | "forbidden"
  | "edit_window_closed"
  | "self_action"
  | "trust_level_too_low";

/**
 * An expected refusal, with words the user sees; `fieldErrors` for form input, and for
 * `trust_level_too_low` the level the action takes.
 */
export type SocialFailure = {
  code: SocialFailureCode;
  message: string;
  fieldErrors?: FieldErrors;
  requiredTrustLevel?: number;
};

export const notFound = (what: string): SocialFailure => ({
  code: "not_found",
  message: `That ${what} does not exist or was removed.`,
});

/** A page of a keyset-paginated list and the cursor of the next page, if there is one. */
export type Page<T> = { items: T[]; nextCursor: string | null };

export type Notification = {
  id: bigint;
  userId: UserId;
  kind: NotificationKind;
  actorId: UserId;
  postId: PostId | null;
  commentId: CommentId | null;
  /** The reward the recipient earned from this (a like's author reward), if any. */
  rewardId: bigint | null;
  createdAt: Date;
  readAt: Date | null;
};
