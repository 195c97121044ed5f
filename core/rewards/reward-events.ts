import { setMaxListeners } from "node:events";
import { createPubSub, type PubSub, type PubSubEventTarget } from "@graphql-yoga/subscription";
import type { RewardOutcome } from "./reward-types.ts";

/** What a live "reward landed" notification carries; plain JSON so Redis can fan it out. */
export type RewardLanded = {
  rewardId: string;
  status: RewardOutcome["status"];
  amount: string;
  memo: string;
  reason: string | null;
  holdUntil: string | null;
  createdAt: string;
};

/**
 * A change to a user's notifications and how many they have not read (for the badge):
 * a new notification, or (id and kind null) their notifications were marked read.
 */
export type NotificationPing = {
  notificationId: string | null;
  kind: string | null;
  unreadCount: number;
};

/**
 * The app's live events. One pubsub carries every topic so that a single Redis event
 * target fans all of them out across instances.
 */
type RewardTopics = {
  "reward:landed": [userId: string, payload: RewardLanded];
  "notification:new": [userId: string, payload: NotificationPing];
};

export type RewardEvents = PubSub<RewardTopics>;
export type RewardEventTarget = PubSubEventTarget<RewardTopics>;

export function toRewardLanded(outcome: RewardOutcome): RewardLanded {
  return {
    rewardId: outcome.rewardId.toString(),
    status: outcome.status,
    amount: outcome.amount.toString(),
    memo: outcome.memo,
    reason: outcome.reason?.message ?? null,
    holdUntil: outcome.holdUntil?.toISOString() ?? null,
    createdAt: outcome.createdAt.toISOString(),
  };
}

/**
 * Listeners one person's topic may have before Node warns of a leak. Each open page holds a
 * stream or two per person, so Node's default (10) cried wolf at a person's sixth tab; a
 * hundred is far beyond anyone's tabs and devices and still flags a real leak.
 */
export const LISTENERS_PER_TOPIC_BEFORE_WARNING = 100;

/** In-process by default; pass a Redis event target to fan out across instances. */
export function createRewardEvents(eventTarget?: RewardEventTarget): RewardEvents {
  if (eventTarget) return createPubSub<RewardTopics>({ eventTarget });
  const local = new EventTarget();
  setMaxListeners(LISTENERS_PER_TOPIC_BEFORE_WARNING, local);
  return createPubSub<RewardTopics>({ eventTarget: local as unknown as RewardEventTarget });
}

/** Tells each user's open streams about rewards that landed for them. */
export function publishRewards(
  events: RewardEvents,
  outcomes: readonly RewardOutcome[],
  adjust: (outcome: RewardOutcome) => Partial<RewardLanded> = () => ({}),
): void {
  for (const outcome of outcomes) {
    events.publish("reward:landed", outcome.userId, {
      ...toRewardLanded(outcome),
      ...adjust(outcome),
    });
  }
}
