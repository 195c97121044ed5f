import type { UserId } from "#core/auth/ids.ts";
import { listAchievements } from "#core/games/achievements.ts";
import { listGames } from "#core/games/game-directory.ts";
import type { Db } from "#db/create-db.ts";
import type { AchievementKind } from "#db/schema-games.ts";
import { badgeArt } from "./badge-art.ts";
import { insertEarnedBadges, readEarnedBadges } from "./badges.repository.ts";

/**
 * The badge catalogue: every game achievement (built-in or an external game's) and this
 * layer's milestones — levels, streaks, quests and trust. Achievement badges are earned
 * with the achievement; milestone badges when progress is next refreshed after reaching
 * them, and are kept for good.
 */
export type BadgeCategory = "game" | "level" | "streak" | "quest" | "trust";

export type Badge = {
  id: string;
  title: string;
  description: string;
  category: BadgeCategory;
  /** A small inline SVG. */
  art: string;
  /** For game badges, the game. */
  gameId: string | null;
  /** For game badges, the game's name (also in the title and description). */
  gameTitle: string | null;
  earnedAt: Date | null;
};

export type MilestoneFacts = {
  level: number;
  streakLength: number;
  questsCompleted: number;
  trustLevel: number;
};

type MilestoneBadge = Omit<Badge, "earnedAt" | "gameId" | "gameTitle"> & {
  isEarned: (facts: MilestoneFacts) => boolean;
};

export const milestoneBadges: readonly MilestoneBadge[] = [
  ...[
    [5, "Rising", "Reach level 5."],
    [10, "Seasoned", "Reach level 10."],
    [20, "Veteran", "Reach level 20."],
  ].map(([n, title, description]) => ({
    id: `level-${n}`,
    title: title as string,
    description: description as string,
    category: "level" as const,
    art: badgeArt("chevron", "level"),
    isEarned: (f: MilestoneFacts) => f.level >= (n as number),
  })),
  ...[
    [7, "Week on fire", "Keep a 7-day streak."],
    [30, "Month of flow", "Keep a 30-day streak."],
    [100, "Unstoppable", "Keep a 100-day streak."],
  ].map(([n, title, description]) => ({
    id: `streak-${n}`,
    title: title as string,
    description: description as string,
    category: "streak" as const,
    art: badgeArt("flame", "streak"),
    isEarned: (f: MilestoneFacts) => f.streakLength >= (n as number),
  })),
  {
    id: "quest-1",
    title: "Quester",
    description: "Complete a weekly quest.",
    category: "quest",
    art: badgeArt("check", "quest"),
    isEarned: (f) => f.questsCompleted >= 1,
  },
  {
    id: "quest-10",
    title: "Quest master",
    description: "Complete 10 weekly quests.",
    category: "quest",
    art: badgeArt("star", "quest"),
    isEarned: (f) => f.questsCompleted >= 10,
  },
  {
    id: "trust-2",
    title: "Member",
    description: "Reach trust level 2 (member).",
    category: "trust",
    art: badgeArt("shield", "trust"),
    isEarned: (f) => f.trustLevel >= 2,
  },
  {
    id: "trust-3",
    title: "Regular",
    description: "Reach trust level 3 (regular).",
    category: "trust",
    art: badgeArt("shield", "gold"),
    isEarned: (f) => f.trustLevel >= 3,
  },
];

function achievementArt(kind: AchievementKind, shareThousandths: number): string {
  switch (kind) {
    case "first_finish":
      return badgeArt("flag", "first");
    case "score_at_least":
      return badgeArt(
        "star",
        shareThousandths <= 300 ? "bronze" : shareThousandths <= 500 ? "silver" : "gold",
      );
    case "perfect_run":
      return badgeArt("diamond", "perfect");
    case "days_in_row":
      return badgeArt("flame", "streak");
    case "reported":
      return badgeArt("trophy", "gold");
  }
}

export const achievementBadgeId = (achievementId: string) => `achievement:${achievementId}`;

/**
 * A game achievement's badge names its game: every game has a "First finish", and three
 * badges called just that say nothing about which runs earned them.
 */
export function gameBadgeWords(
  achievement: { title: string; description: string },
  gameTitle: string,
): { title: string; description: string } {
  return {
    title: `${achievement.title} — ${gameTitle}`,
    description: `${gameTitle}: ${achievement.description}`,
  };
}

/** Records the milestone badges the facts earn (kept for good once earned). */
export async function awardMilestoneBadges(
  db: Db,
  userId: UserId,
  facts: MilestoneFacts,
  now: Date,
): Promise<string[]> {
  const ids = milestoneBadges.filter((b) => b.isEarned(facts)).map((b) => b.id);
  if (ids.length === 0) return [];
  return insertEarnedBadges(db, userId, ids, now);
}

/**
 * The whole catalogue with the person's earned dates (null when not earned, or when no
 * one is asking), milestones first, then each game's achievements in order.
 */
export async function listBadges(db: Db, userId: UserId | null): Promise<Badge[]> {
  const [earned, achievements, games] = await Promise.all([
    userId === null ? [] : readEarnedBadges(db, userId),
    listAchievements(db, userId),
    listGames(db),
  ]);
  const earnedAt = new Map(earned.map((e) => [e.badge_id, e.earned_at]));
  const gameTitles = new Map(games.map((g) => [g.id, g.title]));
  return [
    ...milestoneBadges.map(({ isEarned: _isEarned, ...badge }): Badge => ({
      ...badge,
      gameId: null,
      gameTitle: null,
      earnedAt: earnedAt.get(badge.id) ?? null,
    })),
    ...achievements.map((a): Badge => {
      const gameTitle = gameTitles.get(a.gameId) ?? a.gameId;
      return {
        id: achievementBadgeId(a.id),
        ...gameBadgeWords(a, gameTitle),
        category: "game",
        art: achievementArt(a.kind, a.shareThousandths),
        gameId: a.gameId,
        gameTitle,
        earnedAt: a.earnedAt,
      };
    }),
  ];
}

/** Only what the person earned, newest first: what a profile shows. */
export async function listEarnedBadges(db: Db, userId: UserId): Promise<Badge[]> {
  const all = await listBadges(db, userId);
  return all
    .filter((b) => b.earnedAt !== null)
    .sort((x, y) => y.earnedAt!.getTime() - x.earnedAt!.getTime());
}
