import type { GameBridge } from "../../shared/game-bridge.ts";
import { startGame, type RunningGame } from "../../shared/start-game.ts";
import { drawTideTilesBackdrop, makeTideTilesTextures } from "./tide-tiles-art.ts";
import { tideTilesLook } from "./tide-tiles-look.ts";
import { TideTilesPlay } from "./tide-tiles-play.ts";

/** Starts Tide Tiles in `parent` (browser only: this module loads Phaser). */
export function startTideTiles(parent: HTMLElement, bridge: GameBridge): RunningGame {
  return startGame(
    parent,
    bridge,
    tideTilesLook,
    { makeTextures: makeTideTilesTextures, drawBackdrop: drawTideTilesBackdrop },
    (session) => new TideTilesPlay(session),
  );
}
