import Phaser from "phaser";
import type { GameSession } from "./game-session.ts";
import { addButton, textStyle, uiScale } from "./ui.ts";

const INTERACTIVE_MARK = "game-interactive";

/**
 * The title screen: the game's backdrop, its name, how to control it, and Play (Space,
 * Enter, a click or a tap). Its first frame is the game's first interactive one: it marks
 * `game-interactive` in the page's performance timeline for the load benchmark.
 */
export class Menu extends Phaser.Scene {
  private readonly session: GameSession;
  private readonly drawBackdrop: (scene: Phaser.Scene) => void;

  constructor(session: GameSession, drawBackdrop: (scene: Phaser.Scene) => void) {
    super({ key: "Menu" });
    this.session = session;
    this.drawBackdrop = drawBackdrop;
  }

  create() {
    const { look } = this.session;
    const { width, height } = look;
    this.session.setPhase("menu");
    this.drawBackdrop(this);
    this.add.rectangle(width / 2, height / 2, width, height, 0x0b1620, 0.2);

    const isTall = height > width;
    const k = uiScale(this);
    // Shown small (a phone), the menu keeps only what matters; the page says the rest.
    const isCramped = k > 1.3;
    const panelWidth = Math.min(width - 32, 620);
    const panel = this.add.graphics();
    const title = this.add
      .text(width / 2, 0, look.title, {
        ...textStyle((isTall ? 46 : 54) * Math.min(k, 1.5), "#ffffff", {
          weight: "bold",
          align: "center",
        }),
        stroke: "#0b1620",
        strokeThickness: 6,
      })
      .setOrigin(0.5, 0);
    const tagline = this.add
      .text(
        width / 2,
        0,
        isCramped ? "" : look.tagline,
        textStyle(19 * k, "#e6f4f1", { align: "center", wrap: panelWidth - 48 }),
      )
      .setOrigin(0.5, 0);

    let isStarting = false;
    const start = () => {
      if (isStarting) return;
      isStarting = true;
      this.session.synth.unlock();
      this.session.synth.play("click");
      this.scene.start(look.playScene);
    };
    const buttonHeight = 60 * k;
    const button = addButton(this, width / 2, 0, "Play", start, {
      width: 220 * k,
      height: buttonHeight,
      fill: look.colors.accent,
      fontSize: 26 * k,
    });
    const isTouch = this.sys.game.device.input.touch;
    const controls = this.add
      .text(
        width / 2,
        0,
        isTouch ? look.controls.touch : look.controls.keyboard,
        textStyle(16 * k, "#e6f4f1", { align: "center", wrap: panelWidth - 48 }),
      )
      .setOrigin(0.5, 0);
    const keys = this.add
      .text(
        width / 2,
        0,
        isCramped ? "" : "P or Esc pauses · M turns sound on or off",
        textStyle(14 * k, "#c9dcd8", { align: "center", wrap: panelWidth - 48 }),
      )
      .setOrigin(0.5, 0);

    // Stack everything in one panel, centred, so it reads over any backdrop.
    const gap = 14;
    const heightOf = (text: Phaser.GameObjects.Text) => (text.text ? text.height : 0);
    const total =
      title.height +
      heightOf(tagline) +
      buttonHeight +
      controls.height +
      heightOf(keys) +
      gap * 4 +
      48;
    let y = Math.max(12, (height - total) / 2) + 24;
    const panelTop = y - 24;
    title.setY(y);
    y += title.height + gap / 2;
    tagline.setY(y);
    y += heightOf(tagline) + gap + 8;
    button.setY(y + buttonHeight / 2);
    y += buttonHeight + gap + 8;
    controls.setY(y);
    y += controls.height + gap / 2;
    keys.setY(y);
    y += heightOf(keys) + 24 - (keys.text ? 0 : gap / 2);
    panel.fillStyle(0x0b1620, 0.62);
    panel.fillRoundedRect((width - panelWidth) / 2, panelTop, panelWidth, y - panelTop, 24);

    // A tap or click anywhere starts too: the whole title screen is the button.
    this.input.on("pointerup", start);
    this.input.keyboard?.on("keydown", (event: KeyboardEvent) => {
      if (event.repeat) return;
      if (event.code === "Space" || event.code === "Enter") {
        event.preventDefault();
        start();
      } else if (event.code === "KeyM") {
        this.session.toggleSound();
      }
    });

    // Marked once the first frame showing the menu has been drawn, input already live.
    this.game.events.once(Phaser.Core.Events.POST_RENDER, () => {
      if (performance.getEntriesByName(INTERACTIVE_MARK).length === 0) {
        performance.mark(INTERACTIVE_MARK);
      }
      this.session.bridge.emit("interactive", {});
    });
  }
}
