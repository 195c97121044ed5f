/**
 * The income streams a user sees their earnings grouped by: the home chart, the wallet's
 * history filter and the earning guide all use this one grouping of reward action kinds.
 * Streams still to come (surveys, gigs, referrals, the paid inbox, apps) get their own
 * entry when they start to pay.
 */
export const rewardStreams = ["social", "games", "daily", "bonus"] as const;
export type RewardStream = (typeof rewardStreams)[number];

export const rewardStreamWords: Record<RewardStream, { label: string; description: string }> = {
  social: { label: "Social", description: "Posts, comments, likes and followers" },
  games: { label: "Games", description: "Verified achievements in the mini-games" },
  daily: { label: "Daily habits", description: "Check-ins, streak bonuses and weekly quests" },
  bonus: { label: "Bonuses", description: "One-off bonuses such as the welcome bonus" },
};

const streamByFamily: Record<string, RewardStream> = {
  post: "social",
  comment: "social",
  like: "social",
  follow: "social",
  game: "games",
  checkin: "daily",
  streak: "daily",
  quest: "daily",
  account: "bonus",
};

/** The stream a reward's action kind ("like.received") belongs to; unknown families are bonuses. */
export function streamOf(actionKind: string): RewardStream {
  return streamByFamily[actionKind.split(".")[0]!] ?? "bonus";
}

/** Every action-kind family of a stream, e.g. "social" → ["post", "comment", "like", "follow"]. */
export function familiesOf(stream: RewardStream): string[] {
  return Object.entries(streamByFamily)
    .filter(([, owner]) => owner === stream)
    .map(([family]) => family);
}

/** Whether a stream pays once rather than again and again (left out of "at this pace"). */
export const isOneOffStream = (stream: RewardStream) => stream === "bonus";

export function isRewardStream(value: string): value is RewardStream {
  return (rewardStreams as readonly string[]).includes(value);
}
