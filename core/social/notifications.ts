import type { UserId } from "#core/auth/ids.ts";
import type { Db } from "#db/create-db.ts";
import type { NotificationKind } from "#db/schema-social.ts";
import { decodeIdCursor, encodeCursor } from "./cursor.ts";
import {
  countUnread,
  findNotificationsByIds,
  findNotificationsPage,
  insertNotifications,
  markAllRead,
} from "./notifications.repository.ts";
import type { SocialServices } from "./social-services.ts";
import type { CommentId, Notification, Page, PostId } from "./social-types.ts";

/**
 * An admin decided a reward of yours that was held for review (released or reversed, with
 * the reason on the reward).
 */
export const REWARD_REVIEW_KIND = "reward_review" satisfies NotificationKind;

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
 * Records notifications and pings each recipient's open pages with their unread count
 * (read in the same statement). Nobody is notified about their own actions.
 */
export async function notify(
  deps: Pick<SocialServices, "db" | "rewardEvents">,
  notifications: NewNotification[],
): Promise<void> {
  const wanted = notifications.filter((n) => n.userId !== n.actorId);
  if (wanted.length === 0) return;
  const inserted = await insertNotifications(
    deps.db,
    wanted.map((n) => ({
      userId: n.userId,
      kind: n.kind,
      actorId: n.actorId,
      postId: n.postId ?? null,
      commentId: n.commentId ?? null,
      rewardId: n.rewardId ?? null,
      dedupeKey: n.dedupeKey,
    })),
  );
  for (const row of inserted) {
    deps.rewardEvents.publish("notification:new", row.userId, {
      notificationId: String(row.id),
      kind: row.kind,
      unreadCount: row.unreadCount,
    });
  }
}

/** Tells a user an admin decided their held reward (once per reward). */
export function notifyRewardReviewed(
  deps: Pick<SocialServices, "db" | "rewardEvents">,
  review: { userId: UserId; adminId: UserId; rewardId: bigint },
): Promise<void> {
  return notify(deps, [
    {
      userId: review.userId,
      kind: REWARD_REVIEW_KIND,
      actorId: review.adminId,
      rewardId: review.rewardId,
      dedupeKey: `reward_review:${review.rewardId}`,
    },
  ]);
}

export function unreadNotificationCount(db: Db, userId: UserId): Promise<number> {
  return countUnread(db, userId);
}

/** A user's notifications, newest first. */
export async function listNotifications(
  db: Db,
  userId: UserId,
  page: { limit: number; after?: string | null },
): Promise<Page<Notification>> {
  const after = page.after ? decodeIdCursor(page.after) : null;
  const rows = await findNotificationsPage(db, userId, after, page.limit + 1);
  const items = rows.slice(0, page.limit);
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
  deps: Pick<SocialServices, "db" | "rewardEvents">,
  userId: UserId,
): Promise<number> {
  const marked = await markAllRead(deps.db, userId, new Date());
  if (marked > 0) {
    deps.rewardEvents.publish("notification:new", userId, {
      notificationId: null,
      kind: null,
      unreadCount: await countUnread(deps.db, userId),
    });
  }
  return marked;
}

/** The user's own notifications among `ids` (for refetching by id); others' are left out. */
export function getNotificationsByIds(
  db: Db,
  userId: UserId,
  ids: readonly bigint[],
): Promise<Notification[]> {
  return findNotificationsByIds(db, userId, ids);
}
