import type { GameLook } from "../../shared/game-session.ts";

/** Rapids Rhythm's size, colours and words: no Phaser here, so the page can read them too. */
export const WIDTH = 480;
export const HEIGHT = 720;

export const rapidsRhythmLook: GameLook = {
  id: "rapids-rhythm",
  title: "Rapids Rhythm",
  tagline: "Tap each lane as its note crosses the line, on the beat.",
  width: WIDTH,
  height: HEIGHT,
  colors: {
    background: 0x0b1a2e,
    accent: 0x05805f,
    ink: "#0f172a",
    muted: "#475569",
    panel: 0xffffff,
  },
  controls: {
    keyboard: "D F J K tap lanes 1 to 4",
    touch: "Tap the lanes as the notes cross the line",
  },
  playScene: "RapidsRhythmPlay",
};
