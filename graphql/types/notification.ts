import { encodeGlobalID } from "@pothos/plugin-relay";
import type { NotificationPing } from "#core/rewards/reward-events.ts";
import {
  getNotificationsByIds,
  listNotifications,
  markNotificationsRead,
  REWARD_APPEAL_KIND,
  REWARD_REVIEW_KIND,
  unreadNotificationCount,
} from "#core/social/notifications.ts";
import type { Notification } from "#core/social/social-types.ts";
import type { NotificationKind } from "#db/schema-social.ts";
import { parseId } from "#core/social/cursor.ts";
import { builder } from "../builder.ts";
import { viewerSessionStream } from "../session-stream.ts";
import { loadOwnReward, loadUser, loadVisibleComment, loadVisiblePost } from "../loaders.ts";
import { CommentRef } from "./comment.ts";
import { NotSignedInError } from "./errors.ts";
import { PostRef } from "./post.ts";
import { RewardRef } from "./reward.ts";
import { requireViewerId } from "./social-errors.ts";
import { pageConnection } from "./social-pages.ts";
import { UserRef } from "./user.ts";

const NotificationKindEnum = builder.enumType("NotificationKind", {
  values: {
    LIKE: { value: "like", description: "Someone liked your post or comment." },
    COMMENT: { value: "comment", description: "Someone commented on your post." },
    REPLY: { value: "reply", description: "Someone replied to your comment." },
    FOLLOW: { value: "follow", description: "Someone followed you." },
    MENTION: { value: "mention", description: "Someone mentioned you in a post or comment." },
    REPOST: { value: "repost", description: "Someone reposted your post." },
    REWARD_REVIEW: {
      value: REWARD_REVIEW_KIND,
      description:
        "An admin decided a reward of yours that was held for review (see its status and reason).",
    },
    REWARD_APPEAL: {
      value: REWARD_APPEAL_KIND,
      description:
        "An admin decided your appeal of a reward (see the reward's amount and status, and its appeal's decision and reason).",
    },
  } as const satisfies Record<string, { value: NotificationKind; description: string }>,
});

const NotificationRef = builder.objectRef<Notification>("Notification");

builder.node(NotificationRef, {
  description:
    "Something that happened to you: a like, comment, reply, follow, mention or repost, or an admin's decision on a reward of yours.",
  id: { resolve: (notification) => notification.id.toString() },
  // Only the owner can refetch a notification; anyone else's ids resolve to null.
  loadMany: async (ids, context) => {
    const viewerId = context.viewer?.user.id;
    const wanted = ids.map((id) => parseId(id));
    if (!viewerId) return ids.map(() => null);
    const found = await getNotificationsByIds(
      context.services.db,
      viewerId,
      wanted.filter((id): id is bigint => id !== null),
    );
    const byId = new Map(found.map((n) => [n.id, n]));
    return wanted.map((id) => (id === null ? null : (byId.get(id) ?? null)));
  },
  fields: (t) => ({
    kind: t.expose("kind", { type: NotificationKindEnum }),
    actor: t.field({
      type: UserRef,
      description: "Who did it.",
      resolve: (notification, _args, context) => loadUser(context, notification.actorId),
    }),
    post: t.field({
      type: PostRef,
      nullable: true,
      description: "The post it is about; null for follows and once the post is gone.",
      resolve: (notification, _args, context) =>
        notification.postId === null ? null : loadVisiblePost(context, notification.postId),
    }),
    comment: t.field({
      type: CommentRef,
      nullable: true,
      description: "The comment it is about (a comment, reply, mention or like of a comment).",
      resolve: (notification, _args, context) =>
        notification.commentId === null
          ? null
          : loadVisibleComment(context, notification.commentId),
    }),
    reward: t.field({
      type: RewardRef,
      nullable: true,
      description:
        "What it earned you (a like or a follow pays its receiver), or the reward an admin decided, with its amount and status; null when it paid nothing.",
      resolve: (notification, _args, context) => loadOwnReward(context, notification.rewardId),
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    isRead: t.boolean({
      description: "False until markNotificationsRead.",
      resolve: (notification) => notification.readAt !== null,
    }),
  }),
});

builder.objectFields(UserRef, (t) => ({
  notifications: t.connection(
    {
      type: NotificationRef,
      description: "The user's notifications, newest first. Only visible to the user themself.",
      authScopes: (user, _args, context) => context.viewer?.user.id === user.id,
      resolve: (user, args, context) =>
        pageConnection(
          args,
          "Notifications",
          (page) => listNotifications(context.services.db, user.id, page),
          async (items) => items,
        ),
    },
    { name: "NotificationConnection" },
    { name: "NotificationEdge" },
  ),
  unreadNotificationCount: t.int({
    description:
      "How many notifications are unread (the badge). Only visible to the user themself.",
    authScopes: (user, _args, context) => context.viewer?.user.id === user.id,
    resolve: (user, _args, context) => unreadNotificationCount(context.services.db, user.id),
  }),
}));

const MarkNotificationsReadPayloadRef = builder
  .objectRef<{ markedCount: number; unreadCount: number }>("MarkNotificationsReadPayload")
  .implement({
    fields: (t) => ({
      markedCount: t.exposeInt("markedCount", { description: "How many were unread until now." }),
      unreadCount: t.exposeInt("unreadCount", {
        description: "Unread now (0 unless new ones came).",
      }),
    }),
  });

builder.mutationField("markNotificationsRead", (t) =>
  t.field({
    type: MarkNotificationsReadPayloadRef,
    description: "Marks all your notifications as read.",
    errors: { types: [NotSignedInError] },
    resolve: async (_root, _args, context) => {
      const viewerId = requireViewerId(context);
      const { db } = context.services;
      const markedCount = await markNotificationsRead(context.services, viewerId);
      return { markedCount, unreadCount: await unreadNotificationCount(db, viewerId) };
    },
  }),
);

const NotificationPingRef = builder.objectRef<NotificationPing>("NotificationPing").implement({
  description: "A new notification for the signed-in user and their unread count, for the badge.",
  fields: (t) => ({
    notificationId: t.id({
      nullable: true,
      description: "The new Notification's id; null when the ping says notifications were read.",
      resolve: (ping) =>
        ping.notificationId === null ? null : encodeGlobalID("Notification", ping.notificationId),
    }),
    kind: t.field({
      type: NotificationKindEnum,
      nullable: true,
      description: "What happened; null when the ping says notifications were read.",
      resolve: (ping) => ping.kind as NotificationKind | null,
    }),
    unreadCount: t.exposeInt("unreadCount"),
  }),
});

builder.subscriptionField("notificationReceived", (t) =>
  t.field({
    type: NotificationPingRef,
    description:
      "Each new notification for the signed-in user as it happens. Over SSE: GET /graphql with accept: text/event-stream.",
    authScopes: { signedIn: true },
    subscribe: (_root, _args, context) =>
      viewerSessionStream(context, (events, viewerId) =>
        events.subscribe("notification:new", viewerId),
      ),
    resolve: (ping) => ping,
  }),
);
