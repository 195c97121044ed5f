import type { GameBridge } from "../../shared/game-bridge.ts";
import { startGame, type RunningGame } from "../../shared/start-game.ts";
import { drawRapidsRhythmBackdrop, makeRapidsRhythmTextures } from "./rapids-rhythm-art.ts";
import { rapidsRhythmLook } from "./rapids-rhythm-look.ts";
import { RapidsRhythmPlay } from "./rapids-rhythm-play.ts";

/** Starts Rapids Rhythm in `parent` (browser only: this module loads Phaser). */
export function startRapidsRhythm(parent: HTMLElement, bridge: GameBridge): RunningGame {
  return startGame(
    parent,
    bridge,
    rapidsRhythmLook,
    { makeTextures: makeRapidsRhythmTextures, drawBackdrop: drawRapidsRhythmBackdrop },
    (session) => new RapidsRhythmPlay(session),
  );
}
