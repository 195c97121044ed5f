import Phaser from "phaser";

/** Canvas text: the page's system font, drawn at twice the size so it stays sharp when scaled. */
export const FONT = 'ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

export function textStyle(
  size: number,
  color: string,
  options: { weight?: "normal" | "bold"; align?: string; wrap?: number } = {},
): Phaser.Types.GameObjects.Text.TextStyle {
  return {
    fontFamily: FONT,
    fontSize: `${size}px`,
    fontStyle: options.weight === "bold" ? "bold" : "normal",
    color,
    align: options.align ?? "left",
    resolution: 2,
    ...(options.wrap ? { wordWrap: { width: options.wrap, useAdvancedWrap: true } } : {}),
  };
}

export const hex = (color: number) => `#${color.toString(16).padStart(6, "0")}`;

export type Button = Phaser.GameObjects.Container & { setLabel(text: string): void };

/**
 * A rounded button drawn with shapes: hover and press states, a hand cursor, and the
 * action on pointer up inside it (a drag that leaves the button does nothing).
 */
export function addButton(
  scene: Phaser.Scene,
  x: number,
  y: number,
  label: string,
  onPress: () => void,
  options: {
    width?: number;
    height?: number;
    fill?: number;
    textColor?: string;
    fontSize?: number;
    isQuiet?: boolean;
  } = {},
): Button {
  const width = options.width ?? 200;
  const height = options.height ?? 52;
  const fill = options.fill ?? 0x05805f;
  const background = scene.add.graphics();
  const draw = (state: "idle" | "hover" | "down") => {
    background.clear();
    const shade =
      state === "down"
        ? Phaser.Display.Color.ValueToColor(fill).darken(12).color
        : state === "hover"
          ? Phaser.Display.Color.ValueToColor(fill).lighten(8).color
          : fill;
    if (options.isQuiet) {
      background.fillStyle(0xffffff, state === "idle" ? 0.1 : 0.2);
      background.fillRoundedRect(-width / 2, -height / 2, width, height, height / 2);
      background.lineStyle(2, 0xffffff, 0.7);
      background.strokeRoundedRect(-width / 2, -height / 2, width, height, height / 2);
    } else {
      background.fillStyle(0x000000, 0.25);
      background.fillRoundedRect(-width / 2, -height / 2 + 4, width, height, height / 2);
      background.fillStyle(shade, 1);
      background.fillRoundedRect(
        -width / 2,
        -height / 2 + (state === "down" ? 2 : 0),
        width,
        height,
        height / 2,
      );
    }
  };
  draw("idle");
  const text = scene.add
    .text(
      0,
      0,
      label,
      textStyle(options.fontSize ?? 22, options.textColor ?? "#ffffff", { weight: "bold" }),
    )
    .setOrigin(0.5);
  const container = scene.add.container(x, y, [background, text]) as Button;
  container.setSize(width, height);
  container.setInteractive({ useHandCursor: true });
  let isDown = false;
  container.on("pointerover", () => draw("hover"));
  container.on("pointerout", () => {
    isDown = false;
    draw("idle");
  });
  container.on(
    "pointerdown",
    (
      _pointer: Phaser.Input.Pointer,
      _x: number,
      _y: number,
      event: Phaser.Types.Input.EventData,
    ) => {
      isDown = true;
      draw("down");
      event.stopPropagation();
    },
  );
  container.on(
    "pointerup",
    (
      _pointer: Phaser.Input.Pointer,
      _x: number,
      _y: number,
      event: Phaser.Types.Input.EventData,
    ) => {
      event.stopPropagation();
      draw("hover");
      if (!isDown) return;
      isDown = false;
      onPress();
    },
  );
  container.setLabel = (value: string) => text.setText(value);
  return container;
}

/** A soft white dot for particles (sparkles, dust, splashes). */
export function ensureSparkTexture(scene: Phaser.Scene): void {
  if (scene.textures.exists("spark")) return;
  const canvas = scene.textures.createCanvas("spark", 32, 32);
  if (!canvas) return;
  const ctx = canvas.getContext();
  const gradient = ctx.createRadialGradient(16, 16, 0, 16, 16, 16);
  gradient.addColorStop(0, "rgba(255,255,255,1)");
  gradient.addColorStop(0.4, "rgba(255,255,255,0.8)");
  gradient.addColorStop(1, "rgba(255,255,255,0)");
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, 32, 32);
  canvas.refresh();
}

/** Draws on a new canvas texture with the 2D API (gradients, arcs) and registers it. */
export function paintTexture(
  scene: Phaser.Scene,
  key: string,
  width: number,
  height: number,
  paint: (ctx: CanvasRenderingContext2D) => void,
): void {
  if (scene.textures.exists(key)) return;
  const canvas = scene.textures.createCanvas(key, width, height);
  if (!canvas) return;
  paint(canvas.getContext());
  canvas.refresh();
}

/** A rounded-rectangle path on a 2D canvas. */
export function roundedRectPath(
  ctx: CanvasRenderingContext2D,
  x: number,
  y: number,
  width: number,
  height: number,
  radius: number,
): void {
  const r = Math.min(radius, width / 2, height / 2);
  ctx.beginPath();
  ctx.moveTo(x + r, y);
  ctx.arcTo(x + width, y, x + width, y + height, r);
  ctx.arcTo(x + width, y + height, x, y + height, r);
  ctx.arcTo(x, y + height, x, y, r);
  ctx.arcTo(x, y, x + width, y, r);
  ctx.closePath();
}

/** Numbers as people read them: 12,345. */
export const formatScore = (value: number) => value.toLocaleString("en");

/**
 * How much bigger than designed the words and buttons should be drawn, so they stay
 * readable when the canvas is shown small (River Run on a phone is shown at under half
 * size). 1 on a desktop; at most `cap`.
 */
export function uiScale(scene: Phaser.Scene, cap = 1.8): number {
  const shrink = scene.scale.displayScale.x;
  return Phaser.Math.Clamp(0.85 * shrink, 1, cap);
}
