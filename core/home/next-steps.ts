import type { UserId } from "#core/auth/ids.ts";
import { listGames } from "#core/games/game-directory.ts";
import { gamificationKinds } from "#core/gamification/xp-table.ts";
import {
  getProgress,
  type GamificationDeps,
  type Progress,
} from "#core/gamification/progress.service.ts";
import type { QuestDefinition, QuestProgress } from "#core/gamification/quests.ts";
import { getActivationStatus } from "#core/integrity/activation.ts";
import { getOwnProfile } from "#core/profiles/profile.service.ts";
import { CHECK_IN_KIND, checkInKey } from "#core/rewards/check-in.ts";
import { getRewardByKey } from "#core/rewards/reward-queries.ts";
import { listRewardRules } from "#core/rewards/reward.service.ts";
import type { RewardRule } from "#core/rewards/reward-rules.repository.ts";
import { shareOfRuleAmount } from "#core/rewards/reward-share.ts";
import {
  findFollowedPostToAnswer,
  findPlayedGameIds,
  findPopularPostToAnswer,
  type PostToAnswerRow,
} from "./next-steps.repository.ts";

/**
 * "What to do next" on the home page and `viewer.nextSteps`: a short list worked out from
 * where someone stands, in the order worth doing. Each step is a concrete thing with a
 * link; none is shown once it no longer applies.
 */
export const nextStepKinds = [
  "verify_email",
  "check_in",
  "answer_post",
  "quest",
  "play_game",
  "first_post",
  "follow_people",
  "complete_profile",
] as const;
export type NextStepKind = (typeof nextStepKinds)[number];

export type NextStep = {
  kind: NextStepKind;
  title: string;
  /** One sentence on why or what exactly. */
  detail: string;
  /** A path on this site where the step is done. */
  href: string;
  /** What doing it pays under the current rules (before caps and holds); null when nothing directly. */
  pays: bigint | null;
};

/** How far back a post still counts as one to answer. */
export const POST_TO_ANSWER_WITHIN_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;
const SNIPPET_LENGTH = 90;

/** What an enabled rule pays for a share of it, as the rewards engine pays it; null if nothing. */
export function sharePaid(rule: RewardRule | undefined, shareThousandths = 1000): bigint | null {
  if (!rule || !rule.isEnabled || rule.amount <= 0n) return null;
  return shareOfRuleAmount(rule.amount, shareThousandths);
}

/** What completing a quest pays: its share of the quest reward rule. */
export function questPays(
  rules: ReadonlyMap<string, RewardRule>,
  quest: QuestDefinition,
): bigint | null {
  return sharePaid(rules.get(gamificationKinds.questReward), quest.rewardShareThousandths);
}

/** Where a quest's goal is worked on. */
export function questHref(quest: QuestDefinition): string {
  const goal = quest.goal;
  if (goal.kind === "personal_best") return "/games";
  if (goal.actionKinds === "any") return "/feed?tab=discover";
  if (goal.actionKinds.includes(CHECK_IN_KIND)) return "/wallet";
  if (goal.actionKinds.some((kind) => kind.startsWith("game."))) return "/games";
  if (goal.actionKinds.includes("post.created")) return "/feed?tab=following";
  return "/feed?tab=discover";
}

/** The open quest closest to done (by share of its target, then by fewest actions left). */
export function questNearestToDone(quests: readonly QuestProgress[]): QuestProgress | null {
  const open = quests.filter((q) => !q.isCompleted && q.target > 0);
  open.sort(
    (a, b) =>
      b.progress / b.target - a.progress / a.target ||
      a.target - a.progress - (b.target - b.progress),
  );
  return open[0] ?? null;
}

function snippet(body: string): string {
  const flat = body.replace(/\s+/g, " ").trim();
  const chars = Array.from(flat);
  return chars.length > SNIPPET_LENGTH ? `${chars.slice(0, SNIPPET_LENGTH).join("")}…` : flat;
}

function answerStep(post: PostToAnswerRow, isFollowed: boolean, pays: bigint | null): NextStep {
  const words = snippet(post.body);
  return {
    kind: "answer_post",
    title: `Answer ${post.author_display_name} (@${post.author_handle})`,
    detail: `${isFollowed ? "A new post by someone you follow" : "A post people are talking about"}${words ? `: “${words}”` : "."}`,
    href: `/p/${post.id}`,
    pays,
  };
}

/**
 * The steps for one person now. Reads progress (which, like every progress read, pays a
 * streak bonus or quest reward that is due, once) unless the caller passes what it read.
 */
export async function getNextSteps(
  deps: GamificationDeps,
  userId: UserId,
  options: { now?: Date; progress?: Progress } = {},
): Promise<NextStep[]> {
  const now = options.now ?? new Date();
  const { db } = deps;
  const since = new Date(now.getTime() - POST_TO_ANSWER_WITHIN_DAYS * DAY_MS);
  const [progress, activation, checkedIn, ruleList, profile, games, played, followedPost] =
    await Promise.all([
      options.progress ?? getProgress(deps, userId, now),
      getActivationStatus(db, userId, now),
      getRewardByKey(db, checkInKey(userId, now)),
      listRewardRules(db),
      getOwnProfile(db, userId),
      listGames(db),
      findPlayedGameIds(db, userId),
      findFollowedPostToAnswer(db, userId, since),
    ]);
  const rules = new Map(ruleList.map((rule) => [rule.actionKind, rule]));
  const steps: NextStep[] = [];

  if (activation && activation.missing.includes("verify_email")) {
    steps.push({
      kind: "verify_email",
      title: "Verify your email address",
      detail:
        "Your welcome bonus and everything you earn wait for it. Settings can send the link again.",
      href: "/settings",
      pays: null,
    });
  }

  const checkInRule = rules.get(CHECK_IN_KIND);
  if (!checkedIn && checkInRule?.isEnabled) {
    const streak = progress.streak.length;
    steps.push({
      kind: "check_in",
      title: "Check in for today",
      detail:
        streak > 0
          ? `Collect today's check-in in your wallet and keep your ${streak}-day streak going.`
          : "Collect today's check-in in your wallet and start a streak.",
      href: "/wallet",
      pays: sharePaid(checkInRule),
    });
  }

  const commentPays = sharePaid(rules.get("comment.created"));
  const post = followedPost ?? (await findPopularPostToAnswer(db, userId, since));
  if (post) steps.push(answerStep(post, followedPost !== undefined, commentPays));

  const quest = questNearestToDone(progress.quests);
  if (quest) {
    steps.push({
      kind: "quest",
      title: `Finish “${quest.quest.title}” (${quest.progress} of ${quest.target})`,
      detail: `${quest.quest.description} This week's quest ends on Sunday (UTC).`,
      href: questHref(quest.quest),
      pays: questPays(rules, quest.quest),
    });
  }

  const unplayed = games.find((game) => !played.has(game.id));
  if (unplayed) {
    steps.push({
      kind: "play_game",
      title: `Play ${unplayed.title}`,
      detail: `${unplayed.description} A first finish earns an achievement.`.trim(),
      href: `/games/${unplayed.id}`,
      pays: null,
    });
  }

  if (profile.postCount === 0) {
    steps.push({
      kind: "first_post",
      title: "Write your first post",
      detail: "Say hello: posts pay you, and so do the likes they get.",
      href: "/feed?tab=following",
      pays: sharePaid(rules.get("post.created")),
    });
  }

  if (profile.followingCount === 0) {
    steps.push({
      kind: "follow_people",
      title: "Follow a few people",
      detail: "Their posts fill your Following feed, and there is always something to answer.",
      href: "/feed?tab=discover",
      pays: null,
    });
  }

  if (profile.bio.trim() === "" || !profile.hasUploadedAvatar) {
    steps.push({
      kind: "complete_profile",
      title: "Complete your profile",
      detail: `Add ${profile.bio.trim() === "" ? (profile.hasUploadedAvatar ? "a bio" : "a bio and a picture") : "a picture"} so people know who they are following.`,
      href: "/settings/profile",
      pays: null,
    });
  }

  return steps;
}
