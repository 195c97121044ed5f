import type { GameLook } from "../../shared/game-session.ts";

/** Tide Tiles' size, colours and words: no Phaser here, so the page can read them too. */
export const WIDTH = 600;
export const HEIGHT = 720;

export const tideTilesLook: GameLook = {
  id: "tide-tiles",
  title: "Tide Tiles",
  tagline: "Swap neighbouring tiles to line up three or more. Twenty moves; cascades score double.",
  width: WIDTH,
  height: HEIGHT,
  colors: {
    background: 0x0e4f66,
    accent: 0x05805f,
    ink: "#0f172a",
    muted: "#475569",
    panel: 0xffffff,
  },
  controls: {
    keyboard: "Arrows move, Enter picks a tile, an arrow swaps it — or drag with the mouse",
    touch: "Drag a tile onto its neighbour, or tap one and then the other",
  },
  playScene: "TideTilesPlay",
};
