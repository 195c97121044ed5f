import type Phaser from "phaser";
import { paintTexture, roundedRectPath } from "../../shared/ui.ts";
import { LANES } from "../rules/rapids-rhythm.ts";
import { HEIGHT, WIDTH } from "./rapids-rhythm-look.ts";

export const LANE_WIDTH = 100;
export const LANES_X = (WIDTH - LANE_WIDTH * LANES) / 2;
/** Where a note is exactly on time. */
export const HIT_Y = 584;
/** Pixels a note travels per tick: it shows about two seconds before its beat. */
export const PX_PER_TICK = 5;
export const TOP_Y = 84;
export const laneColours = [0x2dd4bf, 0x38bdf8, 0xa78bfa, 0xfbbf24] as const;
export const laneKeys = ["D", "F", "J", "K"] as const;

export const laneCentre = (lane: number) => LANES_X + lane * LANE_WIDTH + LANE_WIDTH / 2;

const css = (colour: number) => `#${colour.toString(16).padStart(6, "0")}`;

export function makeRapidsRhythmTextures(scene: Phaser.Scene): void {
  paintTexture(scene, "rh-bg", WIDTH, HEIGHT, (ctx) => {
    const night = ctx.createLinearGradient(0, 0, 0, HEIGHT);
    night.addColorStop(0, "#0b1a2e");
    night.addColorStop(1, "#10314a");
    ctx.fillStyle = night;
    ctx.fillRect(0, 0, WIDTH, HEIGHT);
    for (let lane = 0; lane < LANES; lane++) {
      const x = LANES_X + lane * LANE_WIDTH;
      const water = ctx.createLinearGradient(x, 0, x + LANE_WIDTH, 0);
      water.addColorStop(0, "rgba(15,60,90,0.9)");
      water.addColorStop(0.5, "rgba(20,80,115,0.9)");
      water.addColorStop(1, "rgba(15,60,90,0.9)");
      ctx.fillStyle = water;
      ctx.fillRect(x + 3, TOP_Y, LANE_WIDTH - 6, HEIGHT - TOP_Y);
    }
  });
  paintTexture(scene, "rh-ripples", LANE_WIDTH - 6, 120, (ctx) => {
    ctx.strokeStyle = "rgba(255,255,255,0.09)";
    ctx.lineWidth = 2;
    for (const [x, y, w] of [
      [10, 20, 30],
      [50, 60, 26],
      [20, 100, 34],
      [60, 5, 20],
    ] as const) {
      ctx.beginPath();
      ctx.moveTo(x, y);
      ctx.quadraticCurveTo(x + w / 2, y + 5, x + w, y);
      ctx.stroke();
    }
  });
  laneColours.forEach((colour, lane) => {
    paintTexture(scene, `rh-note-${lane}`, 168, 60, (ctx) => {
      ctx.shadowColor = css(colour);
      ctx.shadowBlur = 12;
      roundedRectPath(ctx, 8, 8, 152, 44, 22);
      ctx.fillStyle = css(colour);
      ctx.fill();
      ctx.shadowBlur = 0;
      roundedRectPath(ctx, 20, 14, 128, 14, 7);
      ctx.fillStyle = "rgba(255,255,255,0.55)";
      ctx.fill();
      ctx.lineWidth = 3;
      ctx.strokeStyle = "rgba(255,255,255,0.85)";
      roundedRectPath(ctx, 8, 8, 152, 44, 22);
      ctx.stroke();
    });
  });
}

export function drawRapidsRhythmBackdrop(scene: Phaser.Scene): void {
  scene.add.image(0, 0, "rh-bg").setOrigin(0);
  const g = scene.add.graphics();
  g.lineStyle(4, 0xffffff, 0.5);
  g.lineBetween(LANES_X, HIT_Y, LANES_X + LANE_WIDTH * LANES, HIT_Y);
  const sample = [
    [0, 200],
    [2, 290],
    [1, 380],
    [3, 450],
    [0, 520],
    [2, 140],
  ] as const;
  for (const [lane, y] of sample) {
    scene.add.image(laneCentre(lane), y, `rh-note-${lane}`).setScale(0.5).setAlpha(0.8);
  }
}
