import type Phaser from "phaser";
import { paintTexture, roundedRectPath } from "../../shared/ui.ts";
import { HEIGHT, WIDTH } from "./river-run-look.ts";

/** Screen y of the path the runner runs on. */
export const GROUND_Y = 372;

/** Sky, hills, pines, river and path: every texture River Run draws, painted in code. */
export function makeRiverRunTextures(scene: Phaser.Scene): void {
  paintTexture(scene, "rr-sky", WIDTH, HEIGHT, (ctx) => {
    const sky = ctx.createLinearGradient(0, 0, 0, HEIGHT);
    sky.addColorStop(0, "#5bb8ec");
    sky.addColorStop(0.6, "#bfe8fb");
    sky.addColorStop(1, "#e9f8ff");
    ctx.fillStyle = sky;
    ctx.fillRect(0, 0, WIDTH, HEIGHT);
    const sun = ctx.createRadialGradient(640, 90, 10, 640, 90, 90);
    sun.addColorStop(0, "rgba(255,248,200,1)");
    sun.addColorStop(0.35, "rgba(255,236,150,0.9)");
    sun.addColorStop(1, "rgba(255,236,150,0)");
    ctx.fillStyle = sun;
    ctx.fillRect(540, 0, 200, 200);
  });
  paintTexture(scene, "rr-cloud", 160, 60, (ctx) => {
    ctx.fillStyle = "rgba(255,255,255,0.92)";
    for (const [x, y, r] of [
      [40, 38, 20],
      [70, 28, 26],
      [104, 34, 22],
      [128, 42, 16],
    ] as const) {
      ctx.beginPath();
      ctx.arc(x, y, r, 0, Math.PI * 2);
      ctx.fill();
    }
    ctx.fillRect(40, 38, 90, 20);
  });
  paintTexture(scene, "rr-hills", 640, 170, (ctx) => {
    ctx.fillStyle = "#7db7a8";
    ctx.beginPath();
    ctx.moveTo(0, 170);
    for (let x = 0; x <= 640; x += 8) {
      const y =
        90 - 38 * Math.sin((x / 640) * Math.PI * 2) - 18 * Math.sin((x / 640) * Math.PI * 6);
      ctx.lineTo(x, y);
    }
    ctx.lineTo(640, 170);
    ctx.closePath();
    ctx.fill();
    ctx.fillStyle = "rgba(255,255,255,0.5)";
    ctx.beginPath();
    ctx.moveTo(150, 56);
    ctx.lineTo(160, 50);
    ctx.lineTo(172, 58);
    ctx.closePath();
    ctx.fill();
  });
  paintTexture(scene, "rr-pines", 480, 130, (ctx) => {
    for (let i = 0; i < 14; i++) {
      const x = i * 34 + ((i * 13) % 11);
      const h = 70 + ((i * 37) % 45);
      ctx.fillStyle = i % 2 ? "#2f7d5b" : "#3a8f69";
      ctx.beginPath();
      ctx.moveTo(x, 130);
      ctx.lineTo(x + 17, 130 - h);
      ctx.lineTo(x + 34, 130);
      ctx.closePath();
      ctx.fill();
    }
    ctx.fillStyle = "#2f7d5b";
    ctx.fillRect(0, 118, 480, 12);
  });
  paintTexture(scene, "rr-river", 256, 48, (ctx) => {
    const water = ctx.createLinearGradient(0, 0, 0, 48);
    water.addColorStop(0, "#3aa0d8");
    water.addColorStop(1, "#1f77b4");
    ctx.fillStyle = water;
    ctx.fillRect(0, 0, 256, 48);
    ctx.strokeStyle = "rgba(255,255,255,0.55)";
    ctx.lineWidth = 2;
    for (const [x, y, w] of [
      [10, 12, 36],
      [90, 26, 28],
      [160, 10, 40],
      [210, 34, 30],
      [50, 38, 24],
    ] as const) {
      ctx.beginPath();
      ctx.moveTo(x, y);
      ctx.quadraticCurveTo(x + w / 2, y - 4, x + w, y);
      ctx.stroke();
    }
  });
  paintTexture(scene, "rr-ground", 256, HEIGHT - GROUND_Y, (ctx) => {
    const h = HEIGHT - GROUND_Y;
    ctx.fillStyle = "#c99a5b";
    ctx.fillRect(0, 0, 256, h);
    ctx.fillStyle = "#b5844a";
    ctx.fillRect(0, 22, 256, h - 22);
    ctx.fillStyle = "#5fb04a";
    ctx.fillRect(0, 0, 256, 8);
    ctx.fillStyle = "#4c9a3a";
    for (let x = 0; x < 256; x += 8) ctx.fillRect(x, 6, 4, 4);
    ctx.fillStyle = "#9e713d";
    for (const [x, y, r] of [
      [20, 34, 4],
      [70, 52, 3],
      [130, 30, 5],
      [190, 60, 4],
      [230, 40, 3],
    ] as const) {
      ctx.beginPath();
      ctx.ellipse(x, y, r * 1.6, r, 0, 0, Math.PI * 2);
      ctx.fill();
    }
  });
  // The runner: an otter, drawn at twice its 24 × 32 hitbox for sharpness.
  paintTexture(scene, "rr-runner", 48, 64, (ctx) => {
    ctx.fillStyle = "#7a4a25";
    ctx.beginPath();
    ctx.moveTo(6, 50);
    ctx.quadraticCurveTo(-2, 62, 12, 60);
    ctx.lineTo(14, 54);
    ctx.fill();
    roundedRectPath(ctx, 8, 14, 34, 48, 16);
    ctx.fillStyle = "#8b5a2b";
    ctx.fill();
    roundedRectPath(ctx, 18, 28, 20, 30, 10);
    ctx.fillStyle = "#f3d9b1";
    ctx.fill();
    ctx.fillStyle = "#8b5a2b";
    ctx.beginPath();
    ctx.arc(30, 16, 14, 0, Math.PI * 2);
    ctx.fill();
    ctx.beginPath();
    ctx.arc(20, 6, 4, 0, Math.PI * 2);
    ctx.arc(38, 6, 4, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = "#f3d9b1";
    ctx.beginPath();
    ctx.ellipse(34, 22, 9, 6, 0, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = "#1b1b1b";
    ctx.beginPath();
    ctx.arc(27, 13, 2.4, 0, Math.PI * 2);
    ctx.arc(37, 13, 2.4, 0, Math.PI * 2);
    ctx.fill();
    ctx.beginPath();
    ctx.ellipse(36, 19, 3, 2, 0, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = "#5e3a1a";
    roundedRectPath(ctx, 12, 56, 10, 8, 3);
    ctx.fill();
    roundedRectPath(ctx, 28, 56, 10, 8, 3);
    ctx.fill();
  });
  paintTexture(scene, "rr-coin", 32, 32, (ctx) => {
    const gold = ctx.createRadialGradient(12, 10, 2, 16, 16, 16);
    gold.addColorStop(0, "#fff6b0");
    gold.addColorStop(0.5, "#f8c630");
    gold.addColorStop(1, "#d89a0c");
    ctx.fillStyle = gold;
    ctx.beginPath();
    ctx.arc(16, 16, 15, 0, Math.PI * 2);
    ctx.fill();
    ctx.strokeStyle = "#b07800";
    ctx.lineWidth = 2;
    ctx.stroke();
    ctx.strokeStyle = "rgba(176,120,0,0.8)";
    ctx.beginPath();
    ctx.arc(16, 16, 9, 0, Math.PI * 2);
    ctx.stroke();
  });
}

/** The landscape behind the path, shared by the title screen and the run. */
export function addScenery(scene: Phaser.Scene) {
  scene.add.image(0, 0, "rr-sky").setOrigin(0);
  const clouds = [
    scene.add.image(120, 70, "rr-cloud").setAlpha(0.9),
    scene.add.image(420, 50, "rr-cloud").setScale(0.7).setAlpha(0.8),
    scene.add.image(700, 110, "rr-cloud").setScale(0.55).setAlpha(0.85),
  ];
  const hills = scene.add.tileSprite(0, 190, WIDTH, 170, "rr-hills").setOrigin(0);
  const pines = scene.add.tileSprite(0, 218, WIDTH, 130, "rr-pines").setOrigin(0);
  const river = scene.add.tileSprite(0, 326, WIDTH, 48, "rr-river").setOrigin(0);
  const ground = scene.add
    .tileSprite(0, GROUND_Y, WIDTH, HEIGHT - GROUND_Y, "rr-ground")
    .setOrigin(0);
  return {
    /** Scrolls each layer by its depth for a world scrolled `px` pixels. */
    scrollTo(px: number, timeMs: number) {
      hills.tilePositionX = px * 0.12;
      pines.tilePositionX = px * 0.35;
      river.tilePositionX = px * 0.6 + timeMs * 0.02;
      ground.tilePositionX = px;
      clouds.forEach((cloud, i) => {
        const span = WIDTH + 200;
        const x = (((i * 300 + 120 - px * (0.04 + i * 0.02)) % span) + span) % span;
        cloud.x = x - 100;
      });
    },
  };
}

export function drawRiverRunBackdrop(scene: Phaser.Scene): void {
  const scenery = addScenery(scene);
  scenery.scrollTo(0, 0);
  const rocks = scene.add.graphics();
  drawRock(rocks, 640, 34, 40);
  drawRock(rocks, 36, 26, 28);
  for (const [x, y] of [
    [629, 300],
    [657, 280],
    [685, 300],
  ] as const) {
    scene.add.image(x, y, "rr-coin").setScale(0.5);
  }
  scene.add.image(130, GROUND_Y, "rr-runner").setOrigin(0.5, 1).setScale(0.75);
}

/** A rock standing on the path: `x` its left edge, in screen pixels. */
export function drawRock(g: Phaser.GameObjects.Graphics, x: number, w: number, h: number): void {
  const top = GROUND_Y - h;
  g.fillStyle(0x000000, 0.18);
  g.fillEllipse(x + w / 2, GROUND_Y + 3, w + 10, 8);
  g.fillStyle(0x6b7280, 1);
  g.fillRoundedRect(x, top, w, h + 4, {
    tl: Math.min(12, w / 2),
    tr: Math.min(10, w / 2),
    bl: 3,
    br: 3,
  });
  g.fillStyle(0x9ca3af, 1);
  g.fillRoundedRect(x + 4, top + 4, Math.max(6, w * 0.45), Math.max(6, h * 0.35), 5);
  g.fillStyle(0x4b5563, 1);
  g.fillRect(x + w * 0.55, top + h * 0.5, Math.max(3, w * 0.3), 3);
  g.fillStyle(0x5fb04a, 1);
  g.fillRoundedRect(x + w * 0.15, top - 2, w * 0.5, 5, 2);
}
