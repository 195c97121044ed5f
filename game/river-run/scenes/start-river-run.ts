import type { GameBridge } from "../../shared/game-bridge.ts";
import { startGame, type RunningGame } from "../../shared/start-game.ts";
import { drawRiverRunBackdrop, makeRiverRunTextures } from "./river-run-art.ts";
import { riverRunLook } from "./river-run-look.ts";
import { RiverRunPlay } from "./river-run-play.ts";

/** Starts River Run in `parent` (browser only: this module loads Phaser). */
export function startRiverRun(parent: HTMLElement, bridge: GameBridge): RunningGame {
  return startGame(
    parent,
    bridge,
    riverRunLook,
    { makeTextures: makeRiverRunTextures, drawBackdrop: drawRiverRunBackdrop },
    (session) => new RiverRunPlay(session),
  );
}
