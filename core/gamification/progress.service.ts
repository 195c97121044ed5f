import type { UserId } from "#core/auth/ids.ts";
import { recentAchievements, type Achievement } from "#core/games/achievements.ts";
import { listGames, type GameListing } from "#core/games/game-directory.ts";
import type { RewardEngine } from "#core/rewards/reward-engine.ts";
import { reverseReward } from "#core/rewards/reward.service.ts";
import { rewardKey } from "#core/rewards/reward-types.ts";
import { evaluateTrust, type TrustStatus } from "#core/trust/trust-levels.ts";
import type { Db } from "#db/create-db.ts";
import {
  countActionsUnderReview,
  foldAllRewards,
  foldRewards,
  readActiveUserIds,
  readUserActivity,
  readUserTotals,
  type ActivityRow,
} from "./activity.repository.ts";
import { listBadges, awardMilestoneBadges, type Badge } from "./badges.ts";
import { addDays, monthOf, utcDay, weekStartOf } from "./calendar.ts";
import {
  alignQuestRewardHold,
  ensureGamificationRules,
  STREAK_REPAIR_PRICE,
} from "./gamification-rules.ts";
import {
  levelProgress,
  levelPostCapBonus,
  perks,
  type LevelProgress,
  type Perk,
} from "./levels.ts";
import { readStreakBonusPaid, recordStreakBonusPaid } from "./progress.repository.ts";
import {
  countPersonalBests,
  countQuestsCompleted,
  markQuestCompletionReversed,
  readHeldQuestCompletions,
  readQuestCompletions,
  readUserIdsWithHeldQuestRewards,
  recordQuestCompletion,
  recordQuestReward,
  type QuestCompletion,
} from "./quests.repository.ts";
import {
  payableQuestProgress,
  questCatalogue,
  questCause,
  questProgressFrom,
  questsForWeek,
  weekEndsAt,
  type QuestDefinition,
  type QuestProgress,
} from "./quests.ts";
import { currentSeason, type Season } from "./seasons.ts";
import {
  computeStreak,
  FREEZES_PER_WEEK,
  repairOffer,
  STREAK_HORIZON_DAYS,
  streakMilestones,
  type RepairOffer,
  type StreakInput,
  type StreakRun,
} from "./streak-rules.ts";
import { readStreakRepairs } from "./streak-repair.repository.ts";
import { gamificationKinds, ownKinds } from "./xp-table.ts";

/** What gamification needs: the database and the engine that pays its bonuses. */
export type GamificationDeps = { db: Db; rewards: RewardEngine };

export type StreakStatus = StreakRun & {
  freezesPerWeek: number;
  /** The next milestone that pays a bonus; null past the last. */
  nextMilestone: number | null;
  repair: RepairOffer & { price: bigint };
};

export type PerkState = Perk & { isUnlocked: boolean };

/** Everything about one person's progress; private to them. */
export type Progress = {
  userId: UserId;
  level: LevelProgress;
  perks: PerkState[];
  /** Extra rewarded posts a day from level and trust together. */
  postCapBonus: number;
  trust: TrustStatus;
  streak: StreakStatus;
  quests: QuestProgress[];
  /** The whole catalogue with earned dates. */
  badges: Badge[];
  season: Season;
  asOf: Date;
};

type Snapshot = {
  activity: ActivityRow[];
  input: StreakInput;
  run: StreakRun;
  isRepairUsedThisMonth: boolean;
};

async function snapshot(db: Db, userId: UserId, now: Date): Promise<Snapshot> {
  const today = utcDay(now);
  const since = addDays(today, -STREAK_HORIZON_DAYS);
  const [activity, repairs] = await Promise.all([
    readUserActivity(db, userId, since),
    readStreakRepairs(db, userId, addDays(since, -31)),
  ]);
  const input: StreakInput = {
    activeDays: new Set(activity.filter((a) => !ownKinds.includes(a.actionKind)).map((a) => a.day)),
    repairedDays: new Set(repairs.map((r) => r.day)),
    today,
    freezesPerWeek: FREEZES_PER_WEEK,
  };
  return {
    activity,
    input,
    run: computeStreak(input),
    isRepairUsedThisMonth: repairs.some((r) => r.month === monthOf(now)),
  };
}

/** Pays the bonus for the highest streak milestone reached, once per run and milestone. */
async function payStreakBonus(deps: GamificationDeps, userId: UserId, run: StreakRun) {
  if (run.startedOn === null) return;
  const reached = streakMilestones.filter((m) => m.days <= run.length).at(-1);
  if (!reached) return;
  const paidMark = `${run.startedOn}:${reached.days}`;
  if ((await readStreakBonusPaid(deps.db, userId)) === paidMark) return;
  const result = await deps.rewards.reward({
    actionKind: gamificationKinds.streakBonus,
    userId,
    // A run is known by its first day: a repaired run keeps its first day, so a
    // milestone it already paid is a replay, never a second bonus.
    causeId: `${userId}:${run.startedOn}:${reached.days}`,
    memo: `${reached.days}-day streak bonus`,
    shareThousandths: reached.shareThousandths,
  });
  if (!result.ok) return;
  await recordStreakBonusPaid(deps.db, userId, paidMark);
}

/** The words on a quest reward reversed because the actions behind it were undone. */
export const QUEST_PROGRESS_LOST = {
  code: "quest_progress_lost",
  message: "Quest progress lost: you undid actions it counted, so its reward was taken back.",
} as const;

/**
 * Takes back a completed quest whose progress fell below its goal while its reward is
 * still held: reverses the reward (with the reason the user reads) and marks the
 * completion reversed. A reward already released stays, and so does the completion: the
 * actions behind it could no longer be undone. Returns whether the quest was taken back.
 */
async function takeBackQuest(
  deps: GamificationDeps,
  userId: UserId,
  completion: QuestCompletion,
  now: Date,
): Promise<boolean> {
  if (completion.rewardId !== null) {
    const key = rewardKey(
      gamificationKinds.questReward,
      questCause(userId, completion.weekStart, completion.questId, completion.attempt),
    );
    const reversed = await reverseReward(deps.db, key, QUEST_PROGRESS_LOST);
    if (!reversed.ok && reversed.error.code === "already_released") return false;
  }
  await markQuestCompletionReversed(
    deps.db,
    userId,
    completion.weekStart,
    completion.questId,
    completion.attempt,
    now,
  );
  return true;
}

/** Pays a quest whose goal is reached: its first completion of the week, or a new attempt. */
async function completeQuest(
  deps: GamificationDeps,
  userId: UserId,
  weekStart: string,
  quest: QuestDefinition,
  earlier: QuestCompletion | null,
  now: Date,
): Promise<QuestCompletion | null> {
  let attempt = earlier?.reversedAt === null ? earlier.attempt : null;
  if (attempt === null) {
    attempt = await recordQuestCompletion(
      deps.db,
      userId,
      weekStart,
      quest.id,
      now,
      earlier ? earlier.attempt : null,
    );
    // Another caller recorded it first; its payment is theirs (and a replay if we paid too).
    if (attempt === null) {
      return (await readQuestCompletions(deps.db, userId, weekStart)).get(quest.id) ?? null;
    }
  }
  const paid = await deps.rewards.reward({
    actionKind: gamificationKinds.questReward,
    userId,
    causeId: questCause(userId, weekStart, quest.id, attempt),
    memo: `Weekly quest done: ${quest.title}`,
    shareThousandths: quest.rewardShareThousandths,
  });
  if (paid.ok) {
    await recordQuestReward(deps.db, userId, weekStart, quest.id, attempt, paid.value.rewardId);
  }
  return {
    questId: quest.id,
    weekStart,
    completedAt: earlier?.reversedAt === null ? earlier.completedAt : now,
    rewardId: paid.ok ? paid.value.rewardId : null,
    attempt,
    reversedAt: null,
  };
}

async function settleQuests(
  deps: GamificationDeps,
  userId: UserId,
  activity: ActivityRow[],
  level: number,
  now: Date,
): Promise<QuestProgress[]> {
  const weekStart = weekStartOf(utcDay(now));
  const quests = questsForWeek(weekStart, level);
  const weekActivity = activity.filter((a) => a.day >= weekStart);
  const [bests, completions, underReview] = await Promise.all([
    quests.some((q) => q.goal.kind === "personal_best")
      ? countPersonalBests(deps.db, userId, weekStart)
      : Promise.resolve(0),
    readQuestCompletions(deps.db, userId, weekStart),
    countActionsUnderReview(deps.db, userId, weekStart, addDays(weekStart, 7)),
  ]);
  const endsAt = weekEndsAt(weekStart);
  const result: QuestProgress[] = [];
  for (const quest of quests) {
    const progress = questProgressFrom(quest, weekActivity, bests);
    const payable = payableQuestProgress(quest, weekActivity, bests, underReview);
    let completion = completions.get(quest.id) ?? null;
    const isLive = completion !== null && completion.reversedAt === null;
    if (payable >= quest.goal.target && (!isLive || completion?.rewardId === null)) {
      completion = await completeQuest(deps, userId, weekStart, quest, completion, now);
    } else if (isLive && progress < quest.goal.target) {
      if (await takeBackQuest(deps, userId, completion!, now)) {
        completion = { ...completion!, reversedAt: now };
      }
    }
    const isCompleted = completion !== null && completion.reversedAt === null;
    result.push({
      quest,
      weekStart,
      endsAt,
      progress,
      target: quest.goal.target,
      isCompleted,
      actionsUnderReview: progress - payable,
      completedAt: isCompleted ? completion!.completedAt : null,
      rewardId: completion?.rewardId ?? null,
    });
  }
  return result;
}

/**
 * Looks again at quests of earlier weeks whose reward is still held: an action behind one
 * may have been undone after its week ended (the current week's quests are settled by
 * settleQuests). Takes back those whose progress in their week fell below the goal.
 */
async function reviewEarlierHeldQuests(deps: GamificationDeps, userId: UserId, now: Date) {
  const currentWeek = weekStartOf(utcDay(now));
  const held = (await readHeldQuestCompletions(deps.db, userId)).filter(
    (c) => c.weekStart !== currentWeek,
  );
  for (const completion of held) {
    const quest = questCatalogue[completion.questId];
    if (!quest) continue;
    const weekEnd = addDays(completion.weekStart, 7);
    const activity = (await readUserActivity(deps.db, userId, completion.weekStart)).filter(
      (a) => a.day < weekEnd,
    );
    const bests =
      quest.goal.kind === "personal_best"
        ? await countPersonalBests(deps.db, userId, completion.weekStart)
        : 0;
    if (questProgressFrom(quest, activity, bests) < quest.goal.target) {
      await takeBackQuest(deps, userId, completion, now);
    }
  }
}

function streakStatus(s: Snapshot, now: Date): StreakStatus {
  const offer = repairOffer(s.input, s.run, now, s.isRepairUsedThisMonth);
  return {
    ...s.run,
    freezesPerWeek: FREEZES_PER_WEEK,
    nextMilestone: streakMilestones.find((m) => m.days > s.run.length)?.days ?? null,
    repair: { ...offer, price: STREAK_REPAIR_PRICE },
  };
}

/**
 * Brings one person's gamification up to date and returns it: folds new rewards, pays
 * the streak bonus and quest rewards they are due (each once, through the engine),
 * re-evaluates their trust level and records milestone badges. Safe to call as often
 * as wanted; the hub and `viewer.progress` call it on every read.
 */
export async function getProgress(
  deps: GamificationDeps,
  userId: UserId,
  now = new Date(),
): Promise<Progress> {
  const { db } = deps;
  await ensureGamificationRules(db);
  await foldRewards(db);
  const before = await snapshot(db, userId, now);
  const totalsBefore = await readUserTotals(db, userId);
  await payStreakBonus(deps, userId, before.run);
  const quests = await settleQuests(
    deps,
    userId,
    before.activity,
    levelProgress(totalsBefore.xp).level,
    now,
  );
  await reviewEarlierHeldQuests(deps, userId, now);
  const [totals, trust, season, questsCompleted] = await Promise.all([
    readUserTotals(db, userId),
    evaluateTrust(db, userId, now),
    currentSeason(db, now),
    countQuestsCompleted(db, userId),
  ]);
  const level = levelProgress(totals.xp);
  await awardMilestoneBadges(
    db,
    userId,
    {
      level: level.level,
      streakLength: before.run.length,
      questsCompleted,
      trustLevel: trust.level,
    },
    now,
  );
  return {
    userId,
    level,
    perks: perks.map((perk) => ({ ...perk, isUnlocked: level.level >= perk.unlocksAtLevel })),
    postCapBonus: levelPostCapBonus(level.level) + trust.postCapBonus,
    trust,
    streak: streakStatus(before, now),
    quests,
    badges: await listBadges(db, userId),
    season,
    asOf: now,
  };
}

/** Everything the games hub shows one person, in one call. */
export type HubSummary = {
  progress: Progress;
  recentAchievements: (Achievement & { earnedAt: Date })[];
  /** Badges earned, newest first. */
  earnedBadges: Badge[];
  games: GameListing[];
};

export async function getHubSummary(
  deps: GamificationDeps,
  userId: UserId,
  now = new Date(),
): Promise<HubSummary> {
  const progress = await getProgress(deps, userId, now);
  const [recent, games] = await Promise.all([
    recentAchievements(deps.db, userId, 6),
    listGames(deps.db),
  ]);
  return {
    progress,
    recentAchievements: recent,
    earnedBadges: progress.badges
      .filter((b) => b.earnedAt !== null)
      .sort((x, y) => y.earnedAt!.getTime() - x.earnedAt!.getTime()),
    games,
  };
}

/** The streak alone (read-only: pays nothing), e.g. after a repair. */
export async function getStreak(
  deps: Pick<GamificationDeps, "db">,
  userId: UserId,
  now = new Date(),
): Promise<StreakStatus> {
  return streakStatus(await snapshot(deps.db, userId, now), now);
}

/**
 * A scheduler's step: folds every reward old enough, then refreshes the people active
 * today or yesterday (streak bonuses and quest rewards are paid without waiting for them
 * to open the hub) and those with a quest reward still held (taken back if the actions
 * behind it were undone, before its hold ends). The app's scheduler runs it through `refreshActiveUsersOnce`
 * (scheduled-refresh.ts), on one instance at a time.
 */
export async function refreshActiveUsers(
  deps: GamificationDeps,
  now = new Date(),
  options: { limit?: number } = {},
): Promise<number> {
  await foldAllRewards(deps.db);
  await alignQuestRewardHold(deps.db);
  const since = addDays(utcDay(now), -1);
  const limit = options.limit ?? 10_000;
  // People with a quest reward still held are looked at whether or not they were active:
  // undoing the actions behind a quest is not activity, and must still take it back.
  const userIds = [
    ...new Set([
      ...(await readActiveUserIds(deps.db, since, limit)),
      ...(await readUserIdsWithHeldQuestRewards(deps.db, limit)),
    ]),
  ];
  for (const userId of userIds) await getProgress(deps, userId, now);
  return userIds.length;
}
