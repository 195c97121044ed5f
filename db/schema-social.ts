import type { ColumnType, Generated } from "kysely";
import type { DefaultedTimestamp, Serial } from "./schema.ts";

type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>;
/** A bigint id that refers to another row: written and read as bigint. */
type BigIntRef = ColumnType<bigint, bigint | string, bigint | string>;
type NullableBigIntRef = ColumnType<
  bigint | null,
  bigint | string | null | undefined,
  bigint | string | null
>;
type Counter = ColumnType<number, number | undefined, number>;

export type ImageContentType = "image/webp" | "image/png" | "image/jpeg";

export interface ImagesTable {
  id: Serial;
  owner_id: string;
  content_type: ImageContentType;
  bytes: Uint8Array;
  width: number;
  height: number;
  created_at: DefaultedTimestamp;
}

export interface PostsTable {
  id: Serial;
  author_id: string;
  body: Generated<string>;
  repost_of_id: NullableBigIntRef;
  created_at: DefaultedTimestamp;
  edited_at: NullableTimestamp;
  deleted_at: NullableTimestamp;
  hidden_at: NullableTimestamp;
  like_count: Counter;
  comment_count: Counter;
  repost_count: Counter;
  hot_score: number;
}

export interface PostHashtagsTable {
  tag: string;
  post_id: BigIntRef;
}

export interface CommentsTable {
  id: Serial;
  post_id: BigIntRef;
  author_id: string;
  parent_id: NullableBigIntRef;
  body: string;
  created_at: DefaultedTimestamp;
  deleted_at: NullableTimestamp;
  hidden_at: NullableTimestamp;
  like_count: Counter;
}

export interface PostLikesTable {
  post_id: BigIntRef;
  user_id: string;
  created_at: DefaultedTimestamp;
}

export interface CommentLikesTable {
  comment_id: BigIntRef;
  user_id: string;
  created_at: DefaultedTimestamp;
}

export interface FollowsTable {
  follower_id: string;
  followee_id: string;
  created_at: DefaultedTimestamp;
}

export interface MutesTable {
  user_id: string;
  muted_user_id: string;
  created_at: DefaultedTimestamp;
}

export interface PostSeenTable {
  user_id: string;
  post_id: BigIntRef;
  seen_at: DefaultedTimestamp;
}

export type NotificationKind =
  | "like"
  | "comment"
  | "reply"
  | "follow"
  | "mention"
  | "repost"
  /** An admin released or reversed a reward of yours that was held for review. */
  | "reward_review"
  /** An admin decided your appeal of a held or refused reward. */
  | "reward_appeal";

export interface NotificationsTable {
  id: Serial;
  user_id: string;
  kind: NotificationKind;
  actor_id: string;
  post_id: NullableBigIntRef;
  comment_id: NullableBigIntRef;
  reward_id: NullableBigIntRef;
  dedupe_key: string;
  created_at: DefaultedTimestamp;
  read_at: NullableTimestamp;
}

export type ReportTargetKind = "post" | "comment" | "user";
export type ReportStatus = "open" | "hidden" | "dismissed";

export interface ReportsTable {
  id: Serial;
  reporter_id: string;
  target_kind: ReportTargetKind;
  post_id: NullableBigIntRef;
  comment_id: NullableBigIntRef;
  user_id: string | null;
  reason: string;
  status: ColumnType<ReportStatus, ReportStatus | undefined, ReportStatus>;
  decided_by: string | null;
  decided_at: NullableTimestamp;
  decision_note: string | null;
  created_at: DefaultedTimestamp;
}

export interface SocialTables {
  images: ImagesTable;
  posts: PostsTable;
  post_hashtags: PostHashtagsTable;
  comments: CommentsTable;
  post_likes: PostLikesTable;
  comment_likes: CommentLikesTable;
  follows: FollowsTable;
  mutes: MutesTable;
  post_seen: PostSeenTable;
  notifications: NotificationsTable;
  reports: ReportsTable;
}
