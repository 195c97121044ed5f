import { sql, type Selectable } from "kysely";
import type { UserId } from "#core/auth/ids.ts";
import type { Db } from "#db/create-db.ts";
import type { NotificationKind, NotificationsTable } from "#db/schema-social.ts";
import type { CommentId, Notification, PostId } from "./social-types.ts";

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

export type NotificationRecord = {
  userId: UserId;
  kind: NotificationKind;
  actorId: UserId;
  postId: PostId | null;
  commentId: CommentId | null;
  rewardId: bigint | null;
  dedupeKey: string;
};

/**
 * Inserts the notifications not recorded before (by dedupe key) and returns each new one
 * with its recipient's unread count after the insert, in one statement.
 */
export async function insertNotifications(
  db: Db,
  notifications: readonly NotificationRecord[],
): Promise<{ id: bigint; userId: UserId; kind: NotificationKind; unreadCount: number }[]> {
  if (notifications.length === 0) return [];
  const rows = await db
    .with("inserted", (qb) =>
      qb
        .insertInto("notifications")
        .values(
          notifications.map((n) => ({
            user_id: n.userId,
            kind: n.kind,
            actor_id: n.actorId,
            post_id: n.postId,
            comment_id: n.commentId,
            reward_id: n.rewardId,
            dedupe_key: n.dedupeKey,
          })),
        )
        .onConflict((oc) => oc.column("dedupe_key").doNothing())
        .returning(["id", "user_id", "kind"]),
    )
    .selectFrom("inserted as i")
    .select(["i.id", "i.user_id", "i.kind"])
    // The statement sees the table as it was before its insert: add the new ones.
    .select(
      sql<number>`(select count(*)::int from notifications n
                   where n.user_id = i.user_id and n.read_at is null)
                + (select count(*)::int from inserted j where j.user_id = i.user_id)`.as(
        "unread_count",
      ),
    )
    .orderBy("i.id")
    .execute();
  return rows.map((r) => ({
    id: BigInt(r.id),
    userId: r.user_id as UserId,
    kind: r.kind,
    unreadCount: r.unread_count,
  }));
}

export async function countUnread(db: Db, userId: UserId): Promise<number> {
  const row = await db
    .selectFrom("notifications")
    .select(sql<number>`count(*)::int`.as("count"))
    .where("user_id", "=", userId)
    .where("read_at", "is", null)
    .executeTakeFirstOrThrow();
  return row.count;
}

/** A user's notifications before `beforeId`, newest first; `limit` of them. */
export async function findNotificationsPage(
  db: Db,
  userId: UserId,
  beforeId: bigint | null,
  limit: number,
): Promise<Notification[]> {
  const rows = await db
    .selectFrom("notifications")
    .selectAll()
    .where("user_id", "=", userId)
    .$if(beforeId !== null, (q) => q.where("id", "<", beforeId!))
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows.map(toNotification);
}

/** Marks all of a user's unread notifications read; returns how many changed. */
export async function markAllRead(db: Db, userId: UserId, at: Date): Promise<number> {
  const result = await db
    .updateTable("notifications")
    .set({ read_at: at })
    .where("user_id", "=", userId)
    .where("read_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function findNotificationsByIds(
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
