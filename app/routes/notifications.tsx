import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { MicroAmount } from "#app/components/micro-amount.tsx";
import { Avatar } from "#app/components/social/avatar.tsx";
import { InfiniteList } from "#app/components/social/infinite-list.tsx";
import type { PersonSummary, TimeStamp } from "#app/components/social/types.ts";
import { type DisplayAmount, displayAmount } from "#shared/money.ts";
import { personSummary } from "#app/utils/social-cards.server.ts";
import { timeStamp } from "#app/utils/time-stamp.server.ts";
import { requireViewer } from "#app/utils/viewer.server.ts";
import type { UserId } from "#core/auth/ids.ts";
import { getProfilesByIds } from "#core/profiles/profile.service.ts";
import { getRewardsByIds } from "#core/rewards/reward-queries.ts";
import { InvalidCursorError } from "#core/social/cursor.ts";
import { getCommentsByIds } from "#core/social/comments.ts";
import type { RewardRecord } from "#core/rewards/reward-queries.ts";
import {
  listNotifications,
  markNotificationsRead,
  REWARD_APPEAL_KIND,
  REWARD_REVIEW_KIND,
} from "#core/social/notifications.ts";
import { getPostsByIds } from "#core/social/posts.ts";
import type { Notification } from "#core/social/social-types.ts";
import { isLive } from "#core/social/visibility.ts";

export const meta: MetaFunction = () => [{ title: "Notifications · Tributary" }];

const PAGE_SIZE = 30;
const PREVIEW_LENGTH = 90;

type NotificationItem = {
  key: string;
  actor: PersonSummary;
  words: string;
  href: string;
  preview: string | null;
  time: TimeStamp;
  isUnread: boolean;
  /** What it paid (or, for an admin's decision, the reward decided and where it stands). */
  reward: { amount: DisplayAmount; isSigned: boolean; note: string } | null;
};

const isAdminDecision = (n: Notification) =>
  n.kind === REWARD_REVIEW_KIND || n.kind === REWARD_APPEAL_KIND;

/** Where a decided reward stands, after its amount: "+0.01 MICRO paid to your wallet". */
const standingWords: Record<RewardRecord["status"], string> = {
  available: "paid to your wallet",
  held: "still held",
  refused: "not paid",
  reversed: "reversed",
};

function wordsFor(n: Notification, reward: RewardRecord | undefined): string {
  if (n.kind === REWARD_APPEAL_KIND) {
    const status = reward?.appeal?.status;
    return status === "approved"
      ? "approved your appeal"
      : status === "denied"
        ? "turned down your appeal"
        : "decided your appeal";
  }
  if (n.kind === REWARD_REVIEW_KIND) {
    return reward?.status === "reversed"
      ? "reviewed a held reward of yours and reversed it"
      : "reviewed a held reward of yours and released it";
  }
  const thing = n.commentId ? "comment" : "post";
  switch (n.kind) {
    case "like":
      return `liked your ${thing}`;
    case "comment":
      return "commented on your post";
    case "reply":
      return "replied to your comment";
    case "follow":
      return "followed you";
    case "mention":
      return `mentioned you in a ${thing}`;
    case "repost":
      return "reposted your post";
  }
}

const clip = (text: string) =>
  text.length > PREVIEW_LENGTH ? `${text.slice(0, PREVIEW_LENGTH).trimEnd()}…` : text;

export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireViewer(context, request);
  const { db } = context.services;
  const userId = viewer.user.id;
  const after = new URL(request.url).searchParams.get("after");
  let page;
  try {
    page = await listNotifications(db, userId, { limit: PAGE_SIZE, after });
  } catch (error) {
    if (!(error instanceof InvalidCursorError)) throw error;
    throw redirect("/notifications");
  }
  const items = page.items;
  const distinct = <T,>(values: (T | null)[]) => [
    ...new Set(values.filter((v): v is T => v !== null)),
  ];
  // Four reads for the whole page, whatever its size.
  const [actors, posts, comments, rewards] = await Promise.all([
    getProfilesByIds(db, distinct(items.map((n) => n.actorId))),
    getPostsByIds(db, distinct(items.map((n) => n.postId))),
    getCommentsByIds(db, distinct(items.map((n) => n.commentId))),
    getRewardsByIds(db, distinct(items.map((n) => n.rewardId))),
  ]);
  const actorById = new Map(actors.flatMap((a) => (a ? [[a.id as UserId, a] as const] : [])));
  const postById = new Map(posts.map((p) => [String(p.id), p]));
  const commentById = new Map(comments.map((c) => [String(c.id), c]));
  const rewardById = new Map(rewards.flatMap((r) => (r ? [[String(r.id), r] as const] : [])));
  const now = new Date();

  const shown = items.flatMap((n): NotificationItem[] => {
    const actor = actorById.get(n.actorId);
    if (!actor) return [];
    const post = n.postId ? postById.get(String(n.postId)) : undefined;
    const comment = n.commentId ? commentById.get(String(n.commentId)) : undefined;
    const livePost = post && isLive(post) ? post : null;
    const liveComment = comment && isLive(comment) && livePost ? comment : null;
    const found = n.rewardId ? rewardById.get(String(n.rewardId)) : undefined;
    const reward = found?.userId === userId ? found : undefined;
    if (isAdminDecision(n)) {
      // The outcome, the amount decided and the admin's reason; the wallet has the rest.
      const reason =
        n.kind === REWARD_APPEAL_KIND ? reward?.appeal?.decisionReason : reward?.reason?.message;
      return [
        {
          key: String(n.id),
          actor: personSummary(actor),
          words: wordsFor(n, reward),
          href: "/wallet",
          preview: reason
            ? clip(n.kind === REWARD_APPEAL_KIND ? `Reason: ${reason}` : reason)
            : null,
          time: timeStamp(n.createdAt, now),
          isUnread: n.readAt === null,
          reward: reward
            ? {
                amount: displayAmount(reward.amount),
                isSigned: reward.status === "available" || reward.status === "held",
                note: ` ${standingWords[reward.status]}`,
              }
            : null,
        },
      ];
    }
    const isRewardShown =
      reward !== undefined && (reward.status === "held" || reward.status === "available");
    return [
      {
        key: String(n.id),
        actor: personSummary(actor),
        words: wordsFor(n, reward),
        href: livePost
          ? `/p/${livePost.id}${liveComment ? `#comment-${liveComment.id}` : ""}`
          : `/u/${actor.handle}`,
        // What it is about: the comment when there is one, else the post.
        preview: liveComment ? clip(liveComment.body) : livePost ? clip(livePost.body) : null,
        time: timeStamp(n.createdAt, now),
        isUnread: n.readAt === null,
        reward: isRewardShown
          ? {
              amount: displayAmount(reward.amount),
              isSigned: true,
              note: reward.status === "held" ? " pending" : "",
            }
          : null,
      },
    ];
  });
  // Seen now: the badge empties, and the unread ones stay highlighted on this page.
  if (items.some((n) => n.readAt === null)) await markNotificationsRead(context.services, userId);
  return { page: { items: shown, nextCursor: page.nextCursor }, isFirstPage: !after };
}

export default function NotificationsPage() {
  const { page, isFirstPage } = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto flex w-full max-w-2xl flex-col gap-4">
      <h1 className="text-2xl font-bold tracking-tight">Notifications</h1>
      {page.items.length === 0 ? (
        <p className="rounded-2xl border border-dashed border-slate-300 bg-white p-8 text-center text-slate-700">
          {isFirstPage
            ? "Nothing yet. When people like, comment on or share your posts, or follow you, or an admin decides a reward of yours, it shows up here."
            : "No older notifications."}
        </p>
      ) : (
        <InfiniteList
          first={page}
          label="Notifications"
          moreLabel="Older notifications"
          className="flex flex-col divide-y divide-slate-100 overflow-hidden rounded-2xl border border-slate-200 bg-white shadow-sm"
          pageHref={(cursor) => `/notifications?${new URLSearchParams({ after: cursor })}`}
          renderItem={(item) => <NotificationRow item={item} />}
        />
      )}
    </div>
  );
}

function NotificationRow({ item }: { item: NotificationItem }) {
  return (
    <div
      data-testid="notification"
      className={`relative flex gap-3 px-4 py-3 ${item.isUnread ? "bg-brand-50/60" : ""}`}
    >
      {item.isUnread ? (
        <span
          aria-hidden="true"
          className="absolute top-5 left-1.5 size-2 rounded-full bg-brand-600"
        />
      ) : null}
      <Avatar person={item.actor} isLinked />
      <div className="min-w-0 flex-1">
        <p className="text-slate-900">
          {item.isUnread ? <span className="sr-only">New: </span> : null}
          <Link to={`/u/${item.actor.handle}`} className="font-semibold hover:underline">
            {item.actor.displayName}
          </Link>{" "}
          <Link to={item.href} className="hover:underline">
            {item.words}
          </Link>
          {item.reward ? (
            <>
              {" · "}
              <span className="font-medium text-brand-800">
                <MicroAmount amount={item.reward.amount} isSigned={item.reward.isSigned} />
                {item.reward.note}
              </span>
            </>
          ) : null}
        </p>
        {item.preview ? (
          <p className="mt-0.5 line-clamp-2 break-words text-sm text-slate-600">{item.preview}</p>
        ) : null}
        <p className="mt-0.5 text-xs text-slate-600">
          <time dateTime={item.time.iso} title={item.time.full}>
            {item.time.ago}
          </time>
        </p>
      </div>
    </div>
  );
}
