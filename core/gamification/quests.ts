import type { ActivityRow } from "./activity.repository.ts";
import { addDays, dayStart, daysBetween } from "./calendar.ts";
import { hasPerk } from "./levels.ts";
import { ownKinds } from "./xp-table.ts";

/**
 * Weekly quests. A goal counts rewarded actions of the kinds it names (any kind a reward
 * rule exists for, so a quest over referrals or surveys needs no code here), or the runs
 * that beat one's previous best in a game. Everyone gets the same quests in a week
 * (Monday to Sunday, UTC); the bonus quest needs the level perk. Each completed quest is
 * paid once per week through the rewards engine.
 */
export type QuestGoal =
  | {
      kind: "actions";
      /** Reward action kinds that count, or "any" for every rewarded action. */
      actionKinds: readonly string[] | "any";
      target: number;
    }
  | { kind: "personal_best"; target: number };

export type QuestDefinition = {
  id: string;
  title: string;
  description: string;
  goal: QuestGoal;
  /** Thousandths of the quest reward rule's amount. */
  rewardShareThousandths: number;
  isBonus?: boolean;
};

export const questCatalogue: Record<string, QuestDefinition> = {
  "like-10": {
    id: "like-10",
    title: "Like 10 posts",
    description: "Like 10 posts or comments by other people.",
    goal: { kind: "actions", actionKinds: ["like.given"], target: 10 },
    rewardShareThousandths: 300,
  },
  "comment-3": {
    id: "comment-3",
    title: "Comment 3 times",
    description: "Join 3 conversations with a comment.",
    goal: { kind: "actions", actionKinds: ["comment.created"], target: 3 },
    rewardShareThousandths: 300,
  },
  "beat-your-best": {
    id: "beat-your-best",
    title: "Beat your best in a game",
    description: "Finish a run with a higher score than your best so far in that game.",
    goal: { kind: "personal_best", target: 1 },
    rewardShareThousandths: 500,
  },
  "post-3": {
    id: "post-3",
    title: "Post 3 times",
    description: "Share 3 posts.",
    goal: { kind: "actions", actionKinds: ["post.created"], target: 3 },
    rewardShareThousandths: 300,
  },
  "check-in-5": {
    id: "check-in-5",
    title: "Check in on 5 days",
    description: "Collect the daily check-in on 5 days this week.",
    goal: { kind: "actions", actionKinds: ["checkin.daily"], target: 5 },
    rewardShareThousandths: 400,
  },
  "liked-10": {
    id: "liked-10",
    title: "Get 10 likes",
    description: "Have your posts and comments liked 10 times.",
    goal: { kind: "actions", actionKinds: ["like.received"], target: 10 },
    rewardShareThousandths: 400,
  },
  "followers-2": {
    id: "followers-2",
    title: "Gain 2 followers",
    description: "Have 2 new people follow you.",
    goal: { kind: "actions", actionKinds: ["follow.received"], target: 2 },
    rewardShareThousandths: 400,
  },
  "achievements-2": {
    id: "achievements-2",
    title: "Earn 2 game achievements",
    description: "Unlock 2 achievements in any games.",
    goal: { kind: "actions", actionKinds: ["game.achievement"], target: 2 },
    rewardShareThousandths: 500,
  },
  "any-50": {
    id: "any-50",
    title: "Bonus: 50 rewarded actions",
    description: "Do 50 rewarded things of any kind this week.",
    goal: { kind: "actions", actionKinds: "any", target: 50 },
    rewardShareThousandths: 1000,
    isBonus: true,
  },
};

/** The weeks' quests rotate through these; the bonus quest comes on top with the perk. */
export const questRotation: readonly (readonly string[])[] = [
  ["like-10", "comment-3", "beat-your-best"],
  ["post-3", "liked-10", "check-in-5"],
  ["comment-3", "followers-2", "beat-your-best"],
  ["like-10", "post-3", "achievements-2"],
];
const BONUS_QUEST = "any-50";
/** A Monday: week 0 of the rotation. */
const ROTATION_EPOCH = "2026-01-05";

export function questsForWeek(weekStart: string, level: number): QuestDefinition[] {
  const index = Math.floor(daysBetween(ROTATION_EPOCH, weekStart) / 7);
  const rotation =
    questRotation[((index % questRotation.length) + questRotation.length) % questRotation.length]!;
  const ids = hasPerk(level, "bonus-quest") ? [...rotation, BONUS_QUEST] : rotation;
  return ids.map((id) => questCatalogue[id]!);
}

export type QuestProgress = {
  quest: QuestDefinition;
  weekStart: string;
  endsAt: Date;
  progress: number;
  target: number;
  isCompleted: boolean;
  /** Counted actions still held for review: the quest is paid once enough are released. */
  actionsUnderReview: number;
  completedAt: Date | null;
  /**
   * The reward of the latest completion: held until the actions behind it can no longer
   * be undone, reversed (with its reason) when they were undone in time.
   */
  rewardId: bigint | null;
};

/** Progress of one quest from the week's activity (and personal bests, for that goal). */
export function questProgressFrom(
  quest: QuestDefinition,
  weekActivity: readonly ActivityRow[],
  personalBests: number,
): number {
  const goal = quest.goal;
  if (goal.kind === "personal_best") return Math.min(personalBests, goal.target);
  const kinds = goal.actionKinds;
  const count = weekActivity
    .filter((a) =>
      kinds === "any" ? !ownKinds.includes(a.actionKind) : kinds.includes(a.actionKind),
    )
    .reduce((sum, a) => sum + a.actions, 0);
  return Math.min(count, goal.target);
}

/**
 * Progress that may be paid: actions held for review by a risk signal can be reversed
 * for as long as the review lasts, longer than any quest reward's hold, so they count
 * towards the goal only once released. Until then the quest shows its progress but
 * waits.
 */
export function payableQuestProgress(
  quest: QuestDefinition,
  weekActivity: readonly ActivityRow[],
  personalBests: number,
  underReview: ReadonlyMap<string, number>,
): number {
  const held: ActivityRow[] = [...underReview].map(([actionKind, n]) => ({
    day: "",
    actionKind,
    actions: -n,
    xp: 0,
    earned: 0n,
  }));
  return questProgressFrom(quest, [...weekActivity, ...held], personalBests);
}

export const weekEndsAt = (weekStart: string) => dayStart(addDays(weekStart, 7));

/**
 * The cause a quest's reward is paid under. A completion whose reward was reversed (its
 * actions were undone) may be completed again that week: each attempt after the first is
 * a cause of its own, so it is paid anew instead of replaying the reversed reward.
 */
export function questCause(userId: string, weekStart: string, questId: string, attempt: number) {
  const first = `${userId}:${weekStart}:${questId}`;
  return attempt === 1 ? first : `${first}:${attempt}`;
}

/**
 * Time the scheduled refresh gets, once the last action a quest counted can no longer be
 * undone, to notice lost progress and reverse the quest's reward before it is released.
 * The refresh runs every minute by default and a stuck one is taken over after 10.
 */
export const QUEST_HOLD_MARGIN_SECONDS = 60 * 60;

/** What personal-best quests count: verified runs, disputable as long as their achievements. */
const PERSONAL_BEST_KIND = "game.achievement";

/**
 * How long a quest's reward must stay held: the longest hold of the action kinds any
 * quest counts (every rewarded kind for a quest over "any" action), plus the margin. All
 * quests pay under one rule, so it takes the longest of them; by then every action
 * behind the quest is past undoing, and the refresh has reversed the reward if any was undone.
 */
export function questHoldSeconds(
  rules: readonly { actionKind: string; holdSeconds: number }[],
  quests: readonly QuestDefinition[] = Object.values(questCatalogue),
): number {
  const counted = new Set<string>();
  let isAnyCounted = false;
  for (const { goal } of quests) {
    if (goal.kind === "personal_best") counted.add(PERSONAL_BEST_KIND);
    else if (goal.actionKinds === "any") isAnyCounted = true;
    else for (const kind of goal.actionKinds) counted.add(kind);
  }
  const longest = rules
    .filter((r) => (isAnyCounted ? !ownKinds.includes(r.actionKind) : counted.has(r.actionKind)))
    .reduce((most, r) => Math.max(most, r.holdSeconds), 0);
  return longest + QUEST_HOLD_MARGIN_SECONDS;
}
