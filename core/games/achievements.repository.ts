import type { Insertable, Selectable } from "kysely";
import type { UserId } from "#core/auth/ids.ts";
import type { Db } from "#db/create-db.ts";
import type { AchievementsTable } from "#db/schema-games.ts";

/** Stands in for "no one" in the earned-dates join, so an anonymous catalogue earns nothing. */
const NO_ONE = "00000000-0000-0000-0000-000000000000";

export type AchievementRow = Selectable<AchievementsTable>;

/** A game's achievements in order, with the user's earned date and the reward that paid it. */
export async function readGameAchievementsFor(db: Db, userId: UserId, gameId: string) {
  return db
    .selectFrom("achievements")
    .leftJoin("user_achievements as ua", (join) =>
      join.onRef("ua.achievement_id", "=", "achievements.id").on("ua.user_id", "=", userId),
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
    .where("achievements.game_id", "=", gameId)
    .orderBy("achievements.sort_order")
    .execute();
}

/** Records an achievement earned; undefined when the user already had it. */
export async function insertUserAchievement(
  db: Db,
  earned: { userId: UserId; achievementId: string; earnedAt: Date; runId: string },
): Promise<{ earned_at: Date } | undefined> {
  return db
    .insertInto("user_achievements")
    .values({
      user_id: earned.userId,
      achievement_id: earned.achievementId,
      earned_at: earned.earnedAt,
      run_id: earned.runId,
    })
    .onConflict((oc) => oc.columns(["user_id", "achievement_id"]).doNothing())
    .returning("earned_at")
    .executeTakeFirst();
}

export async function setUserAchievementReward(
  db: Db,
  userId: UserId,
  achievementId: string,
  rewardId: bigint,
): Promise<void> {
  await db
    .updateTable("user_achievements")
    .set({ reward_id: rewardId })
    .where("user_id", "=", userId)
    .where("achievement_id", "=", achievementId)
    .execute();
}

/** Achievements by game and order, with the user's earned dates (all null for no one). */
export async function readAchievementCatalogue(
  db: Db,
  userId: UserId | null,
  gameId?: string,
): Promise<(AchievementRow & { earned_at: Date | null })[]> {
  return db
    .selectFrom("achievements")
    .leftJoin("user_achievements as ua", (join) =>
      join
        .onRef("ua.achievement_id", "=", "achievements.id")
        .on("ua.user_id", "=", userId ?? NO_ONE),
    )
    .selectAll("achievements")
    .select("ua.earned_at")
    .$if(gameId !== undefined, (q) => q.where("achievements.game_id", "=", gameId!))
    .orderBy("achievements.game_id")
    .orderBy("achievements.sort_order")
    .execute();
}

export async function readRecentUserAchievements(
  db: Db,
  userId: UserId,
  limit: number,
): Promise<(AchievementRow & { earned_at: Date })[]> {
  return db
    .selectFrom("user_achievements as ua")
    .innerJoin("achievements", "achievements.id", "ua.achievement_id")
    .selectAll("achievements")
    .select("ua.earned_at")
    .where("ua.user_id", "=", userId)
    .orderBy("ua.earned_at", "desc")
    .limit(limit)
    .execute();
}

/** Records achievements, or brings their texts, shares and order up to date. */
export async function upsertAchievements(
  db: Db,
  achievements: Insertable<AchievementsTable>[],
): Promise<void> {
  await db
    .insertInto("achievements")
    .values(achievements)
    .onConflict((oc) =>
      oc.column("id").doUpdateSet((eb) => ({
        title: eb.ref("excluded.title"),
        description: eb.ref("excluded.description"),
        share_thousandths: eb.ref("excluded.share_thousandths"),
        sort_order: eb.ref("excluded.sort_order"),
      })),
    )
    .execute();
}
