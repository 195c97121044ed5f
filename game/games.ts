import type { GameRules } from "./engine/game-rules.ts";
import { rapidsRhythm, rapidsRhythmV1 } from "./rapids-rhythm/rules/rapids-rhythm.ts";
import { riverRun, riverRunV1 } from "./river-run/rules/river-run.ts";
import { tideTiles } from "./tide-tiles/rules/tide-tiles.ts";

/** Every built-in game's current rules by id: what new runs are issued on. */
export const builtInGames = {
  "river-run": riverRun,
  "tide-tiles": tideTiles,
  "rapids-rhythm": rapidsRhythm,
} as const satisfies Record<string, GameRules<unknown>>;

export type BuiltInGameId = keyof typeof builtInGames;

/**
 * Earlier rules versions still in service: a run replays on the version it was issued on,
 * so a run started before an upgrade (or a recorded run) still verifies.
 */
const earlierVersions: Record<BuiltInGameId, readonly GameRules<unknown>[]> = {
  "river-run": [riverRunV1 as GameRules<unknown>],
  "tide-tiles": [],
  "rapids-rhythm": [rapidsRhythmV1 as GameRules<unknown>],
};

export function isBuiltInGame(id: string): id is BuiltInGameId {
  return Object.hasOwn(builtInGames, id);
}

/** A built-in game's rules, typed for code that handles any game (the server's replay). */
export function rulesOf(id: BuiltInGameId): GameRules<unknown> {
  return builtInGames[id];
}

/** The rules a run issued on `version` replays on, or null when that version is gone. */
export function rulesAt(id: BuiltInGameId, version: number): GameRules<unknown> | null {
  const current = rulesOf(id);
  if (current.version === version) return current;
  return earlierVersions[id].find((rules) => rules.version === version) ?? null;
}
