import { sql } from "kysely";
import type { UserId } from "#core/auth/ids.ts";
import type { RewardEngine } from "#core/rewards/reward-engine.ts";
import type { Db } from "#db/create-db.ts";
import type { AchievementKind } from "#db/schema-games.ts";
import type { EarnedAchievement, GameRun } from "./game-types.ts";

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

/** Consecutive UTC days, ending on `today`, on which the user finished a run of the game. */
async function daysInARow(db: Db, userId: UserId, gameId: string, today: Date): Promise<number> {
  const { rows } = await sql<{ day: string }>`
    select distinct to_char(submitted_at at time zone 'UTC', 'YYYY-MM-DD') as day
    from game_runs
    where user_id = ${userId} and game_id = ${gameId} and status = 'verified'
      and submitted_at > ${new Date(today.getTime() - 31 * 86_400_000)}
    order by day desc`.execute(db);
  const days = new Set(rows.map((r) => r.day));
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
  const game = await db
    .selectFrom("games")
    .select(["title", "reward_kind"])
    .where("id", "=", run.gameId)
    .executeTakeFirstOrThrow();
  const catalogue = await db
    .selectFrom("achievements")
    .leftJoin("user_achievements as ua", (join) =>
      join.onRef("ua.achievement_id", "=", "achievements.id").on("ua.user_id", "=", run.userId),
    )
    .select([
      "achievements.id",
      "achievements.title",
      "achievements.kind",
      "achievements.threshold",
      "achievements.share_thousandths",
      "ua.earned_at",
      "ua.reward_id",
    ])
    .where("achievements.game_id", "=", run.gameId)
    .orderBy("achievements.sort_order")
    .execute();

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
      const inserted = await db
        .insertInto("user_achievements")
        .values({
          user_id: run.userId,
          achievement_id: achievement.id,
          earned_at: now,
          run_id: run.id,
        })
        .onConflict((oc) => oc.columns(["user_id", "achievement_id"]).doNothing())
        .returning("earned_at")
        .executeTakeFirst();
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
      await db
        .updateTable("user_achievements")
        .set({ reward_id: outcome.rewardId })
        .where("user_id", "=", run.userId)
        .where("achievement_id", "=", achievement.id)
        .execute();
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
  const rows = await db
    .selectFrom("achievements")
    .leftJoin("user_achievements as ua", (join) =>
      join
        .onRef("ua.achievement_id", "=", "achievements.id")
        .on("ua.user_id", "=", userId ?? "00000000-0000-0000-0000-000000000000"),
    )
    .selectAll("achievements")
    .select("ua.earned_at")
    .$if(gameId !== undefined, (q) => q.where("achievements.game_id", "=", gameId!))
    .orderBy("achievements.game_id")
    .orderBy("achievements.sort_order")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    gameId: r.game_id,
    title: r.title,
    description: r.description,
    kind: r.kind,
    threshold: r.threshold,
    shareThousandths: r.share_thousandths,
    earnedAt: r.earned_at,
  }));
}

/** What someone earned most recently, across games. */
export async function recentAchievements(
  db: Db,
  userId: UserId,
  limit = 10,
): Promise<(Achievement & { earnedAt: Date })[]> {
  const rows = await db
    .selectFrom("user_achievements as ua")
    .innerJoin("achievements", "achievements.id", "ua.achievement_id")
    .selectAll("achievements")
    .select("ua.earned_at")
    .where("ua.user_id", "=", userId)
    .orderBy("ua.earned_at", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    gameId: r.game_id,
    title: r.title,
    description: r.description,
    kind: r.kind,
    threshold: r.threshold,
    shareThousandths: r.share_thousandths,
    earnedAt: r.earned_at,
  }));
}
