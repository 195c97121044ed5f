import type Phaser from "phaser";
import { paintTexture, roundedRectPath } from "../../shared/ui.ts";
import { SIZE } from "../rules/tide-tiles.ts";
import { HEIGHT, WIDTH } from "./tide-tiles-look.ts";

/** One cell of the board, in canvas pixels. */
export const CELL = 66;
export const BOARD_X = (WIDTH - CELL * SIZE) / 2;
export const BOARD_Y = 128;
/** Textures are painted at twice the size they are shown, for sharp edges when scaled up. */
const TEXTURE = 128;

/** Each kind has its own colour and its own shape, so no one needs to tell colours apart. */
const kinds: { fill: string; light: string; dark: string; shape: Shape }[] = [
  { fill: "#2f7ff0", light: "#dbeafe", dark: "#1d4ed8", shape: "pearl" },
  { fill: "#16a34a", light: "#dcfce7", dark: "#166534", shape: "diamond" },
  { fill: "#f97316", light: "#ffedd5", dark: "#c2410c", shape: "triangle" },
  { fill: "#8b5cf6", light: "#ede9fe", dark: "#6d28d9", shape: "square" },
  { fill: "#eab308", light: "#fef9c3", dark: "#a16207", shape: "star" },
  { fill: "#e11d48", light: "#ffe4e6", dark: "#be123c", shape: "drop" },
];
type Shape = "pearl" | "diamond" | "triangle" | "square" | "star" | "drop";

export const tileKey = (kind: number) => `tt-tile-${kind}`;

function glyph(ctx: CanvasRenderingContext2D, shape: Shape) {
  const c = TEXTURE / 2;
  ctx.beginPath();
  switch (shape) {
    case "pearl":
      ctx.arc(c, c, 30, 0, Math.PI * 2);
      break;
    case "diamond":
      ctx.moveTo(c, c - 36);
      ctx.lineTo(c + 30, c);
      ctx.lineTo(c, c + 36);
      ctx.lineTo(c - 30, c);
      break;
    case "triangle":
      ctx.moveTo(c, c - 34);
      ctx.lineTo(c + 34, c + 28);
      ctx.lineTo(c - 34, c + 28);
      break;
    case "square":
      roundedRectPath(ctx, c - 28, c - 28, 56, 56, 10);
      break;
    case "star":
      for (let i = 0; i < 10; i++) {
        const r = i % 2 === 0 ? 36 : 15;
        const a = -Math.PI / 2 + (i * Math.PI) / 5;
        const x = c + r * Math.cos(a);
        const y = c + 2 + r * Math.sin(a);
        if (i === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      }
      break;
    case "drop":
      ctx.moveTo(c, c - 36);
      ctx.bezierCurveTo(c + 12, c - 16, c + 30, c, c + 30, c + 12);
      ctx.arc(c, c + 12, 30, 0, Math.PI);
      ctx.bezierCurveTo(c - 30, c, c - 12, c - 16, c, c - 36);
      break;
  }
  ctx.closePath();
}

export function makeTideTilesTextures(scene: Phaser.Scene): void {
  kinds.forEach((kind, i) => {
    paintTexture(scene, tileKey(i), TEXTURE, TEXTURE, (ctx) => {
      roundedRectPath(ctx, 4, 6, TEXTURE - 8, TEXTURE - 8, 22);
      ctx.fillStyle = "rgba(0,0,0,0.25)";
      ctx.fill();
      const back = ctx.createLinearGradient(0, 0, 0, TEXTURE);
      back.addColorStop(0, "#ffffff");
      back.addColorStop(1, kind.light);
      roundedRectPath(ctx, 4, 2, TEXTURE - 8, TEXTURE - 8, 22);
      ctx.fillStyle = back;
      ctx.fill();
      glyph(ctx, kind.shape);
      const body = ctx.createLinearGradient(0, 24, 0, 104);
      body.addColorStop(0, kind.fill);
      body.addColorStop(1, kind.dark);
      ctx.fillStyle = body;
      ctx.fill();
      ctx.lineWidth = 4;
      ctx.strokeStyle = kind.dark;
      ctx.stroke();
      ctx.fillStyle = "rgba(255,255,255,0.55)";
      ctx.beginPath();
      ctx.ellipse(TEXTURE / 2 - 10, TEXTURE / 2 - 14, 9, 6, -0.6, 0, Math.PI * 2);
      ctx.fill();
    });
  });
  paintTexture(scene, "tt-sea", WIDTH, HEIGHT, (ctx) => {
    const sea = ctx.createLinearGradient(0, 0, 0, HEIGHT);
    sea.addColorStop(0, "#0f6f8c");
    sea.addColorStop(1, "#0a3a4f");
    ctx.fillStyle = sea;
    ctx.fillRect(0, 0, WIDTH, HEIGHT);
    ctx.strokeStyle = "rgba(255,255,255,0.07)";
    ctx.lineWidth = 3;
    for (let y = 30; y < HEIGHT; y += 46) {
      ctx.beginPath();
      for (let x = 0; x <= WIDTH; x += 10) {
        const wave = y + 6 * Math.sin((x + y * 3) / 40);
        if (x === 0) ctx.moveTo(x, wave);
        else ctx.lineTo(x, wave);
      }
      ctx.stroke();
    }
  });
}

/** The board's well: a rounded panel with a faint checkerboard of cells. */
export function drawBoardWell(scene: Phaser.Scene): Phaser.GameObjects.Graphics {
  const g = scene.add.graphics();
  g.fillStyle(0x06303f, 0.85);
  g.fillRoundedRect(BOARD_X - 10, BOARD_Y - 10, CELL * SIZE + 20, CELL * SIZE + 20, 20);
  for (let r = 0; r < SIZE; r++) {
    for (let c = 0; c < SIZE; c++) {
      g.fillStyle(0xffffff, (r + c) % 2 === 0 ? 0.07 : 0.03);
      g.fillRoundedRect(BOARD_X + c * CELL + 2, BOARD_Y + r * CELL + 2, CELL - 4, CELL - 4, 10);
    }
  }
  return g;
}

export const cellCentre = (row: number, col: number) => ({
  x: BOARD_X + col * CELL + CELL / 2,
  y: BOARD_Y + row * CELL + CELL / 2,
});

export function drawTideTilesBackdrop(scene: Phaser.Scene): void {
  scene.add.image(0, 0, "tt-sea").setOrigin(0);
  drawBoardWell(scene);
  for (let r = 0; r < SIZE; r++) {
    for (let c = 0; c < SIZE; c++) {
      const { x, y } = cellCentre(r, c);
      scene.add
        .image(x, y, tileKey((r * 5 + c * 3 + ((r * c) % 4)) % kinds.length))
        .setScale((CELL - 4) / TEXTURE)
        .setAlpha(0.8);
    }
  }
}

export const TILE_SCALE = (CELL - 4) / TEXTURE;
