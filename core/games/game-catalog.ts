import type { Db } from "#db/create-db.ts";
import type { AchievementKind } from "#db/schema-games.ts";
import { builtInGames, type BuiltInGameId } from "#game/games.ts";
import { upsertAchievements } from "./achievements.repository.ts";
import { upsertGame } from "./games.repository.ts";

/** Reward kind every built-in game's achievements are paid under (budget "games"). */
export const BUILT_IN_ACHIEVEMENT_KIND = "game.achievement";

export type AchievementDefinition = {
  id: string;
  title: string;
  description: string;
  kind: AchievementKind;
  threshold: number | null;
  /** Thousandths of the reward rule's amount this achievement pays. */
  shareThousandths: number;
};

const descriptions: Record<
  BuiltInGameId,
  { description: string; scores: [number, number, number] }
> = {
  "river-run": {
    description:
      "An endless runner: jump the rocks, grab the coins, go as far as you can in two minutes.",
    scores: [1_000, 3_000, 6_000],
  },
  "tide-tiles": {
    description:
      "A match-3 tile puzzle: line up three or more in twenty moves; cascades score double.",
    scores: [600, 900, 1_200],
  },
  "rapids-rhythm": {
    description: "A reaction game: tap each lane as its note crosses the line, on the beat.",
    scores: [40_000, 80_000, 120_000],
  },
};

const perfectWords: Record<BuiltInGameId, string> = {
  "river-run": "Run the whole two minutes without a crash.",
  "tide-tiles": "Make every one of the twenty moves set off a cascade.",
  "rapids-rhythm": "Hit every note perfectly, with no stray taps.",
};

/** The achievements of a built-in game: the same four families for each. */
export function builtInAchievements(gameId: BuiltInGameId): AchievementDefinition[] {
  const [bronze, silver, gold] = descriptions[gameId].scores;
  const score = (tier: string, threshold: number, share: number): AchievementDefinition => ({
    id: `${gameId}:score-${threshold}`,
    title: `${tier}: ${threshold.toLocaleString("en")} points`,
    description: `Score at least ${threshold.toLocaleString("en")} in one run.`,
    kind: "score_at_least",
    threshold,
    shareThousandths: share,
  });
  return [
    {
      id: `${gameId}:first-finish`,
      title: "First finish",
      description: "Finish your first run.",
      kind: "first_finish",
      threshold: null,
      shareThousandths: 200,
    },
    score("Bronze", bronze, 300),
    score("Silver", silver, 500),
    score("Gold", gold, 800),
    {
      id: `${gameId}:perfect`,
      title: "Perfect run",
      description: perfectWords[gameId],
      kind: "perfect_run",
      threshold: null,
      shareThousandths: 1000,
    },
    {
      id: `${gameId}:days-3`,
      title: "Three days running",
      description: "Finish a run on three days in a row (UTC).",
      kind: "days_in_row",
      threshold: 3,
      shareThousandths: 500,
    },
    {
      id: `${gameId}:days-7`,
      title: "A week of play",
      description: "Finish a run on seven days in a row (UTC).",
      kind: "days_in_row",
      threshold: 7,
      shareThousandths: 1000,
    },
  ];
}

/**
 * Records the built-in games and their achievements (idempotent). Titles and texts
 * follow the code; a rules version bump is recorded so new runs replay on the new rules.
 */
export async function ensureBuiltInGames(db: Db): Promise<void> {
  for (const [id, rules] of Object.entries(builtInGames) as [
    BuiltInGameId,
    (typeof builtInGames)[BuiltInGameId],
  ][]) {
    await upsertGame(db, {
      id,
      title: rules.title,
      description: descriptions[id].description,
      owner_id: null,
      reward_kind: BUILT_IN_ACHIEVEMENT_KIND,
      rules_version: rules.version,
    });
    await upsertAchievements(
      db,
      builtInAchievements(id).map((a, i) => ({
        id: a.id,
        game_id: id,
        title: a.title,
        description: a.description,
        kind: a.kind,
        threshold: a.threshold,
        share_thousandths: a.shareThousandths,
        sort_order: i,
      })),
    );
  }
}
