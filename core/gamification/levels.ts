/**
 * Levels follow a visible quadratic curve: reaching level n takes 50·(n−1)² XP in
 * total (level 2 at 50, 3 at 200, 5 at 800, 10 at 4,050, 20 at 18,050), so each level
 * asks a little more than the one before — about three weeks of steady daily use to
 * reach level 10.
 */
export const XP_CURVE_FACTOR = 50;
export const MAX_LEVEL = 100;

export function xpToReachLevel(level: number): number {
  const n = Math.min(Math.max(Math.trunc(level), 1), MAX_LEVEL);
  return XP_CURVE_FACTOR * (n - 1) ** 2;
}

export function levelForXp(xp: number): number {
  let level = Math.min(Math.floor(Math.sqrt(Math.max(xp, 0) / XP_CURVE_FACTOR)) + 1, MAX_LEVEL);
  // Guard the square root's rounding at exact boundaries.
  while (level < MAX_LEVEL && xpToReachLevel(level + 1) <= xp) level++;
  while (level > 1 && xpToReachLevel(level) > xp) level--;
  return level;
}

export type LevelProgress = {
  level: number;
  xp: number;
  /** Total XP at which the current level began. */
  levelStartsAt: number;
  /** Total XP at which the next level begins; null at the top level. */
  nextLevelAt: number | null;
  /** XP earned since the level began, and how many the level takes in all. */
  xpIntoLevel: number;
  xpForLevel: number | null;
};

export function levelProgress(xp: number): LevelProgress {
  const level = levelForXp(xp);
  const levelStartsAt = xpToReachLevel(level);
  const nextLevelAt = level < MAX_LEVEL ? xpToReachLevel(level + 1) : null;
  return {
    level,
    xp,
    levelStartsAt,
    nextLevelAt,
    xpIntoLevel: xp - levelStartsAt,
    xpForLevel: nextLevelAt === null ? null : nextLevelAt - levelStartsAt,
  };
}

export type Perk = {
  id: string;
  title: string;
  description: string;
  unlocksAtLevel: number;
};

/**
 * What levels unlock. The post-cap perks are real: `postCapBonus` passes them to the
 * rewards engine as a daily cap bonus. The bonus quest appears in the weekly quests.
 */
export const perks: readonly Perk[] = [
  {
    id: "post-cap-2",
    title: "+2 rewarded posts a day",
    description: "Two more of your posts a day earn a reward.",
    unlocksAtLevel: 3,
  },
  {
    id: "bonus-quest",
    title: "A bonus weekly quest",
    description: "A fourth, bigger quest each week, with a bigger reward.",
    unlocksAtLevel: 5,
  },
  {
    id: "post-cap-5",
    title: "+5 rewarded posts a day",
    description: "Five more of your posts a day earn a reward (instead of two).",
    unlocksAtLevel: 6,
  },
  {
    id: "post-cap-10",
    title: "+10 rewarded posts a day",
    description: "Ten more of your posts a day earn a reward (instead of five).",
    unlocksAtLevel: 10,
  },
];

export function hasPerk(level: number, perkId: string): boolean {
  const perk = perks.find((p) => p.id === perkId);
  return perk !== undefined && level >= perk.unlocksAtLevel;
}

/** Extra rewarded posts a day that a level brings. */
export function levelPostCapBonus(level: number): number {
  if (level >= 10) return 10;
  if (level >= 6) return 5;
  if (level >= 3) return 2;
  return 0;
}
