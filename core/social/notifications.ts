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

/**
 * An admin decided your appeal of a held or refused reward (approved or denied, with the
 * reason on the appeal).
 */
export const REWARD_APPEAL_KIND = "reward_appeal" satisfies NotificationKind;

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

/** Notifications just recorded, with each recipient's unread count: what their pages are told. */
export type RecordedNotifications = {
  userId: UserId;
  id: bigint;
  kind: NotificationKind;
  unreadCount: number;
}[];

/**
 * Records notifications (each dedupe key once, ever) without telling anyone yet: inside a
 * transaction, so the notification stands or falls with what it reports. Publish what it
 * returns once the transaction has committed. Nobody is notified about their own actions.
 */
export async function recordNotifications(
  db: Db,
  notifications: NewNotification[],
): Promise<RecordedNotifications> {
  const wanted = notifications.filter((n) => n.userId !== n.actorId);
  if (wanted.length === 0) return [];
  return insertNotifications(
    db,
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
}

/** Pings each recipient's open pages with a new notification and their unread count. */
export function publishNotifications(
  deps: Pick<SocialServices, "rewardEvents">,
  recorded: RecordedNotifications,
): void {
  for (const row of recorded) {
    deps.rewardEvents.publish("notification:new", row.userId, {
      notificationId: String(row.id),
      kind: row.kind,
      unreadCount: row.unreadCount,
    });
  }
}

/**
 * Records notifications and pings each recipient's open pages with their unread count
 * (read in the same statement). Nobody is notified about their own actions.
 */
export async function notify(
  deps: Pick<SocialServices, "db" | "rewardEvents">,
  notifications: NewNotification[],
): Promise<void> {
  publishNotifications(deps, await recordNotifications(deps.db, notifications));
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

/**
 * Records, in the deciding transaction, that an admin decided the user's appeal of a
 * reward: one notification per appealed reward however often the decision is retried.
 * Publish the result once the transaction commits.
 */
export function recordAppealDecided(
  trx: Db,
  decision: { userId: UserId; adminId: UserId; rewardId: bigint },
): Promise<RecordedNotifications> {
  return recordNotifications(trx, [
    {
      userId: decision.userId,
      kind: REWARD_APPEAL_KIND,
      actorId: decision.adminId,
      rewardId: decision.rewardId,
      dedupeKey: `reward_appeal:${decision.rewardId}`,
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
