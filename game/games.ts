import type { GameRules } from "./engine/game-rules.ts";
import { rapidsRhythm } from "./rapids-rhythm/rules/rapids-rhythm.ts";
import { riverRun } from "./river-run/rules/river-run.ts";
import { tideTiles } from "./tide-tiles/rules/tide-tiles.ts";

/** Every built-in game's rules by id: what the server replays runs through. */
export const builtInGames = {
  "river-run": riverRun,
  "tide-tiles": tideTiles,
  "rapids-rhythm": rapidsRhythm,
} as const satisfies Record<string, GameRules<unknown>>;

export type BuiltInGameId = keyof typeof builtInGames;

export function isBuiltInGame(id: string): id is BuiltInGameId {
  return Object.hasOwn(builtInGames, id);
}

/** A built-in game's rules, typed for code that handles any game (the server's replay). */
export function rulesOf(id: BuiltInGameId): GameRules<unknown> {
  return builtInGames[id];
}
