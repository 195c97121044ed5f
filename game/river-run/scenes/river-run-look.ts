import type { GameLook } from "../../shared/game-session.ts";

/** River Run's size, colours and words: no Phaser here, so the page can read them too. */
export const WIDTH = 800;
export const HEIGHT = 450;
export const riverRunLook: GameLook = {
  id: "river-run",
  title: "River Run",
  tagline: "Jump the rocks, grab the coins, go as far as you can in two minutes.",
  width: WIDTH,
  height: HEIGHT,
  colors: {
    background: 0x8fd3f4,
    accent: 0x05805f,
    ink: "#0f172a",
    muted: "#475569",
    panel: 0xffffff,
  },
  controls: {
    keyboard: "Space, ↑ or W to jump — or click",
    touch: "Tap anywhere to jump",
  },
  playScene: "RiverRunPlay",
};
