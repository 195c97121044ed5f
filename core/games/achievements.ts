import type { UserId } from "#core/auth/ids.ts";
import type { RewardEngine } from "#core/rewards/reward-engine.ts";
import type { Db } from "#db/create-db.ts";
import type { AchievementKind } from "#db/schema-games.ts";
import {
  insertUserAchievement,
  readAchievementCatalogue,
  readGameAchievementsFor,
  readRecentUserAchievements,
  setUserAchievementReward,
  type AchievementRow,
} from "./achievements.repository.ts";
import { readVerifiedRunDays } from "./game-runs.repository.ts";
import type { EarnedAchievement, GameRun } from "./game-types.ts";
import { findGameRow } from "./games.repository.ts";

export type Achievement = {
  id: string;
  gameId: string;
  title: string;
  description: string;
  kind: AchievementKind;
  threshold: number | null;
  shareThousandths: number;
  /** When the viewer earned it; null when they have not (yet). */
  earnedAt: Date | null;
};

const toAchievement = (row: AchievementRow, earnedAt: Date | null): Achievement => ({
  id: row.id,
  gameId: row.game_id,
  title: row.title,
  description: row.description,
  kind: row.kind,
  threshold: row.threshold,
  shareThousandths: row.share_thousandths,
  earnedAt,
});

/** Consecutive UTC days, ending on `today`, on which the user finished a run of the game. */
async function daysInARow(db: Db, userId: UserId, gameId: string, today: Date): Promise<number> {
  const days = new Set(
    await readVerifiedRunDays(db, userId, gameId, new Date(today.getTime() - 31 * 86_400_000)),
  );
  let streak = 0;
  for (
    let d = new Date(today);
    days.has(d.toISOString().slice(0, 10));
    d = new Date(d.getTime() - 86_400_000)
  ) {
    streak++;
  }
  return streak;
}

/**
 * Awards what a verified run earned: each achievement once per person, each paid through
 * the rewards engine under the game's reward kind (so from the game's budget). Rewards
 * whose payment was interrupted earlier are completed here too (the key makes it safe).
 */
export async function awardRunAchievements(
  deps: { db: Db; rewards: RewardEngine },
  run: GameRun,
  now: Date,
): Promise<EarnedAchievement[]> {
  const { db } = deps;
  const game = await findGameRow(db, run.gameId);
  if (!game) throw new Error(`A verified run of game ${run.gameId}, which is not recorded`);
  const catalogue = await readGameAchievementsFor(db, run.userId, run.gameId);

  const streak = catalogue.some((a) => a.kind === "days_in_row" && a.earned_at === null)
    ? await daysInARow(db, run.userId, run.gameId, now)
    : 0;
  const qualifies = (a: (typeof catalogue)[number]) => {
    switch (a.kind) {
      case "first_finish":
        return true;
      case "score_at_least":
        return (run.score ?? 0) >= (a.threshold ?? Infinity);
      case "perfect_run":
        return run.perfect === true;
      case "days_in_row":
        return streak >= (a.threshold ?? Infinity);
      case "reported":
        return false;
    }
  };

  const earned: EarnedAchievement[] = [];
  for (const achievement of catalogue) {
    let earnedAt = achievement.earned_at;
    if (earnedAt === null) {
      if (!qualifies(achievement)) continue;
      const inserted = await insertUserAchievement(db, {
        userId: run.userId,
        achievementId: achievement.id,
        earnedAt: now,
        runId: run.id,
      });
      if (!inserted) continue; // a concurrent run of the same person earned it first
      earnedAt = inserted.earned_at;
    } else if (achievement.reward_id !== null) {
      continue;
    }
    const reward = await deps.rewards.reward({
      actionKind: game.reward_kind,
      userId: run.userId,
      causeId: `${achievement.id}:${run.userId}`,
      memo: `Achievement in ${game.title}: ${achievement.title}`,
      shareThousandths: achievement.share_thousandths,
    });
    const outcome = reward.ok ? reward.value : null;
    if (outcome) {
      await setUserAchievementReward(db, run.userId, achievement.id, outcome.rewardId);
    }
    if (achievement.earned_at === null) {
      earned.push({
        achievementId: achievement.id,
        title: achievement.title,
        earnedAt,
        reward: outcome,
      });
    }
  }
  return earned;
}

/** A game's achievements with the user's earned dates (the badge catalogue). */
export async function listAchievements(
  db: Db,
  userId: UserId | null,
  gameId?: string,
): Promise<Achievement[]> {
  const rows = await readAchievementCatalogue(db, userId, gameId);
  return rows.map((r) => toAchievement(r, r.earned_at));
}

/** What someone earned most recently, across games. */
export async function recentAchievements(
  db: Db,
  userId: UserId,
  limit = 10,
): Promise<(Achievement & { earnedAt: Date })[]> {
  const rows = await readRecentUserAchievements(db, userId, limit);
  return rows.map((r) => ({ ...toAchievement(r, r.earned_at), earnedAt: r.earned_at }));
}
