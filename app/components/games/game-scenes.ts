import type { BuiltInGameId } from "#game/games.ts";
import { rapidsRhythmLook } from "#game/rapids-rhythm/scenes/rapids-rhythm-look.ts";
import { riverRunLook } from "#game/river-run/scenes/river-run-look.ts";
import type { GameBridge } from "#game/shared/game-bridge.ts";
import type { GameLook } from "#game/shared/game-session.ts";
import type { RunningGame } from "#game/shared/start-game.ts";
import { tideTilesLook } from "#game/tide-tiles/scenes/tide-tiles-look.ts";

export type StartGame = (parent: HTMLElement, bridge: GameBridge) => RunningGame;

/**
 * Each game's scenes (and Phaser with them) load only here, only in the browser, only
 * once the page has hydrated: the feed and every other page never download them.
 */
export const gameScenes: Record<BuiltInGameId, { look: GameLook; load: () => Promise<StartGame> }> =
  {
    "river-run": {
      look: riverRunLook,
      load: () => import("#game/river-run/scenes/start-river-run.ts").then((m) => m.startRiverRun),
    },
    "tide-tiles": {
      look: tideTilesLook,
      load: () =>
        import("#game/tide-tiles/scenes/start-tide-tiles.ts").then((m) => m.startTideTiles),
    },
    "rapids-rhythm": {
      look: rapidsRhythmLook,
      load: () =>
        import("#game/rapids-rhythm/scenes/start-rapids-rhythm.ts").then(
          (m) => m.startRapidsRhythm,
        ),
    },
  };

/** The stage keeps the game's shape and fits both the column and the screen's height. */
export function stageSize(look: GameLook) {
  const ratio = look.width / look.height;
  return {
    aspectRatio: `${look.width} / ${look.height}`,
    width: `min(100%, ${look.width * 1.25}px, calc(76dvh * ${ratio.toFixed(4)}))`,
  };
}
