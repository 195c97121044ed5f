import { sql, type Selectable } from "kysely";
import type { UserId } from "#core/auth/ids.ts";
import type { Db } from "#db/create-db.ts";
import type { NotificationKind, NotificationsTable } from "#db/schema-social.ts";
import { decodeIdCursor, encodeCursor } from "./cursor.ts";
import type { SocialDeps } from "./social-deps.ts";
import type { CommentId, Page, PostId } from "./social-types.ts";

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

function toNotification(row: Selectable<NotificationsTable>): Notification {
  return {
    id: BigInt(row.id),
    userId: row.user_id as UserId,
    kind: row.kind,
    actorId: row.actor_id as UserId,
    postId: row.post_id === null ? null : BigInt(row.post_id),
    commentId: row.comment_id === null ? null : BigInt(row.comment_id),
    rewardId: row.reward_id === null ? null : BigInt(row.reward_id),
    createdAt: row.created_at,
    readAt: row.read_at,
  };
}

export type NewNotification = {
  userId: UserId;
  kind: NotificationKind;
  actorId: UserId;
  postId?: PostId | null;
  commentId?: CommentId | null;
  rewardId?: bigint | null;
  /** Doing the same thing twice (like, unlike, like) notifies once. */
  dedupeKey: string;
};

/**
 * Records notifications and pings each recipient's open pages with their unread count.
 * Nobody is notified about their own actions.
 */
export async function notify(deps: SocialDeps, notifications: NewNotification[]): Promise<void> {
  const wanted = notifications.filter((n) => n.userId !== n.actorId);
  if (wanted.length === 0) return;
  const inserted = await deps.db
    .insertInto("notifications")
    .values(
      wanted.map((n) => ({
        user_id: n.userId,
        kind: n.kind,
        actor_id: n.actorId,
        post_id: n.postId ?? null,
        comment_id: n.commentId ?? null,
        reward_id: n.rewardId ?? null,
        dedupe_key: n.dedupeKey,
      })),
    )
    .onConflict((oc) => oc.column("dedupe_key").doNothing())
    .returning(["id", "user_id", "kind"])
    .execute();
  for (const row of inserted) {
    const unreadCount = await unreadNotificationCount(deps.db, row.user_id as UserId);
    deps.rewardEvents.publish("notification:new", row.user_id, {
      notificationId: String(row.id),
      kind: row.kind,
      unreadCount,
    });
  }
}

export async function unreadNotificationCount(db: Db, userId: UserId): Promise<number> {
  const row = await db
    .selectFrom("notifications")
    .select(sql<number>`count(*)::int`.as("count"))
    .where("user_id", "=", userId)
    .where("read_at", "is", null)
    .executeTakeFirstOrThrow();
  return row.count;
}

/** A user's notifications, newest first. */
export async function listNotifications(
  db: Db,
  userId: UserId,
  page: { limit: number; after?: string | null },
): Promise<Page<Notification>> {
  const after = page.after ? decodeIdCursor(page.after) : null;
  const rows = await db
    .selectFrom("notifications")
    .selectAll()
    .where("user_id", "=", userId)
    .$if(after !== null, (q) => q.where("id", "<", after!))
    .orderBy("id", "desc")
    .limit(page.limit + 1)
    .execute();
  const items = rows.slice(0, page.limit).map((row): Notification => ({
    id: BigInt(row.id),
    userId: row.user_id as UserId,
    kind: row.kind,
    actorId: row.actor_id as UserId,
    postId: row.post_id === null ? null : BigInt(row.post_id),
    commentId: row.comment_id === null ? null : BigInt(row.comment_id),
    rewardId: row.reward_id === null ? null : BigInt(row.reward_id),
    createdAt: row.created_at,
    readAt: row.read_at,
  }));
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > page.limit && last ? encodeCursor([String(last.id)]) : null,
  };
}

/**
 * Marks everything the user has been notified of as read and tells their other open
 * pages, so every badge clears; returns how many changed.
 */
export async function markNotificationsRead(
  deps: Pick<SocialDeps, "db" | "rewardEvents">,
  userId: UserId,
): Promise<number> {
  const result = await deps.db
    .updateTable("notifications")
    .set({ read_at: new Date() })
    .where("user_id", "=", userId)
    .where("read_at", "is", null)
    .executeTakeFirst();
  const marked = Number(result.numUpdatedRows);
  if (marked > 0) {
    deps.rewardEvents.publish("notification:new", userId, {
      notificationId: null,
      kind: null,
      unreadCount: await unreadNotificationCount(deps.db, userId),
    });
  }
  return marked;
}

/** The user's own notifications among `ids` (for refetching by id); others' are left out. */
export async function getNotificationsByIds(
  db: Db,
  userId: UserId,
  ids: readonly bigint[],
): Promise<Notification[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("notifications")
    .selectAll()
    .where("user_id", "=", userId)
    .where("id", "in", [...ids])
    .execute();
  return rows.map(toNotification);
}
