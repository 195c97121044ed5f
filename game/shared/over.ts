import Phaser from "phaser";
import type { RunResult } from "../engine/game-rules.ts";
import type { RunVerdict } from "./game-bridge.ts";
import type { GameSession } from "./game-session.ts";
import { addButton, formatScore, textStyle, uiScale, type Button } from "./ui.ts";

export type OverData = { runId: string; result: RunResult; headline: string };

/**
 * How long the server's answer shows before Play again (button, Enter or R) works: a player
 * still pressing jump or tapping when the run ended reads the results instead of starting
 * a new run by accident.
 */
const RESULTS_GUARD_MS = 1000;
/** Keys that start a new run from the results; no game plays with them held down. */
const PLAY_AGAIN_KEYS = new Set(["Enter", "NumpadEnter", "KeyR"]);

/**
 * The results screen, over the run's last frame: the score the browser counted while the
 * server checks it, then the server's answer — the verified score, whether the run was
 * perfect, and the achievements it newly earned with what they paid — and Play again.
 * The game's own keys (Space, the arrows, the lanes) and taps do nothing here, and Play
 * again waits until the answer has been on screen a moment.
 */
export class Over extends Phaser.Scene {
  private readonly session: GameSession;
  private data_!: OverData;
  private panel!: Phaser.GameObjects.Graphics;
  private headline!: Phaser.GameObjects.Text;
  private score!: Phaser.GameObjects.Text;
  private status!: Phaser.GameObjects.Text;
  private details!: Phaser.GameObjects.Container;
  private detailsHeight = 0;
  private button!: Button;
  private hint!: Phaser.GameObjects.Text;
  /** When Play again starts working: RESULTS_GUARD_MS after the server's answer shows. */
  private readyAt = Number.POSITIVE_INFINITY;
  /** Drawn bigger when the canvas is shown small. */
  private k = 1;

  constructor(session: GameSession) {
    super({ key: "Over" });
    this.session = session;
  }

  init(data: OverData) {
    this.data_ = data;
  }

  private get panelWidth() {
    return Math.min(this.session.look.width - 28, 520 * this.k);
  }

  create() {
    const { look } = this.session;
    const { width, height } = look;
    this.detailsHeight = 0;
    this.k = uiScale(this, 1.55);
    const k = this.k;
    this.add.rectangle(width / 2, height / 2, width, height, 0x0b1620, 0.55);
    this.panel = this.add.graphics();
    this.headline = this.add
      .text(
        width / 2,
        0,
        this.data_.headline,
        textStyle(24 * k, look.colors.ink, { weight: "bold", align: "center" }),
      )
      .setOrigin(0.5, 0);
    this.score = this.add
      .text(
        width / 2,
        0,
        formatScore(this.data_.result.score),
        textStyle(52 * k, look.colors.ink, { weight: "bold" }),
      )
      .setOrigin(0.5, 0);
    this.status = this.add
      .text(
        width / 2,
        0,
        "Checking your run with the server…",
        textStyle(16 * k, look.colors.muted, { align: "center", wrap: this.panelWidth - 40 }),
      )
      .setOrigin(0.5, 0);
    this.details = this.add.container(0, 0);

    this.readyAt = Number.POSITIVE_INFINITY;
    let isRestarting = false;
    const again = () => {
      if (isRestarting || performance.now() < this.readyAt) return;
      isRestarting = true;
      this.session.synth.play("click");
      this.scene.stop(look.playScene);
      this.scene.start(look.playScene);
    };
    this.button = addButton(this, width / 2, 0, "Play again", again, {
      fill: look.colors.accent,
      width: 220 * k,
      height: 52 * k,
      fontSize: 22 * k,
    });
    this.button.setAlpha(0.5);
    // Kept in the layout from the start (invisible), so nothing moves when it appears.
    const isTouch = this.sys.game.device.input.touch;
    this.hint = this.add
      .text(
        width / 2,
        0,
        isTouch ? "Tap Play again for another run" : "Enter or R plays again",
        textStyle(14 * k, look.colors.muted, { align: "center" }),
      )
      .setOrigin(0.5, 0)
      .setAlpha(0);
    this.layout();
    this.input.keyboard?.on("keydown", (event: KeyboardEvent) => {
      if (event.repeat) return;
      if (PLAY_AGAIN_KEYS.has(event.code)) {
        event.preventDefault();
        again();
      } else if (event.code === "KeyM") {
        this.session.toggleSound();
      }
    });

    const show = (verdict: RunVerdict) => {
      if (verdict.runId !== this.data_.runId) return;
      this.showVerdict(verdict);
      this.layout();
      this.readyAt = performance.now() + RESULTS_GUARD_MS;
      this.time.delayedCall(RESULTS_GUARD_MS, () => {
        this.button.setAlpha(1);
        this.hint.setAlpha(1);
      });
    };
    const known = this.session.verdicts.get(this.data_.runId);
    if (known) show(known);
    else {
      const off = this.session.bridge.on("run-verdict", show);
      this.events.once(Phaser.Scenes.Events.SHUTDOWN, off);
    }
    this.session.synth.play("finish");
  }

  /** Sizes the panel to what it holds and centres it. */
  private layout() {
    const { look } = this.session;
    const { width, height } = look;
    const panelWidth = this.panelWidth;
    const contentHeight =
      this.headline.height +
      6 +
      this.score.height +
      4 +
      this.status.height +
      (this.detailsHeight > 0 ? 18 + this.detailsHeight : 0);
    const buttonHeight = 52 * this.k;
    const hintHeight = this.hint.height + 6;
    const panelHeight = Math.min(
      height - 24,
      24 + contentHeight + 24 + buttonHeight + hintHeight + 20,
    );
    const top = (height - panelHeight) / 2;
    let y = top + 24;
    this.headline.setY(y);
    y += this.headline.height + 6;
    this.score.setY(y);
    y += this.score.height + 4;
    this.status.setY(y);
    y += this.status.height + 18;
    this.details.setPosition((width - panelWidth) / 2 + 34, y);
    this.button.setY(top + panelHeight - 20 - hintHeight - buttonHeight / 2);
    this.hint.setY(top + panelHeight - 20 - hintHeight + 6);
    this.panel.clear();
    this.panel.fillStyle(0x000000, 0.3);
    this.panel.fillRoundedRect((width - panelWidth) / 2, top + 6, panelWidth, panelHeight, 22);
    this.panel.fillStyle(look.colors.panel, 0.97);
    this.panel.fillRoundedRect((width - panelWidth) / 2, top, panelWidth, panelHeight, 22);
  }

  private showVerdict(verdict: RunVerdict) {
    const { look } = this.session;
    const { k } = this;
    const panelWidth = this.panelWidth;
    this.session.setPhase("results");
    this.details.removeAll(true);
    this.detailsHeight = 0;
    if (!verdict.ok) {
      this.status
        .setText(`Not accepted: ${verdict.reason}`)
        .setColor("#b42318")
        .setFontStyle("bold");
      return;
    }
    this.score.setText(formatScore(verdict.score));
    this.status
      .setText(
        verdict.perfect
          ? "Verified by the server · a perfect run!"
          : "Verified by the server · not a perfect run",
      )
      .setColor(verdict.perfect ? "#05805f" : look.colors.muted)
      .setFontStyle("bold");
    let y = 0;
    // Shown small, the list speaks for itself; the page below the game repeats it.
    if (k <= 1.2 || verdict.achievements.length === 0) {
      const heading = this.add.text(
        -10,
        y,
        verdict.achievements.length ? "New achievements" : "No new achievements this time.",
        textStyle(17 * k, look.colors.ink, { weight: "bold" }),
      );
      this.details.add(heading);
      y += heading.height + 8;
    }
    const shown = verdict.achievements.slice(0, k > 1.2 ? 1 : 3);
    for (const achievement of shown) {
      const reward = achievement.reward ? ` — ${achievement.reward.text}` : "";
      const line = this.add.text(
        16 * k,
        y,
        `${achievement.title}${reward}`,
        textStyle(16 * k, look.colors.ink, { wrap: panelWidth - 80 }),
      );
      this.details.add(
        this.add.star(0, y + 10 * k, 5, 4 * k, 9 * k, 0xf5b301).setStrokeStyle(1, 0xb07d00),
      );
      this.details.add(line);
      y += line.height + 6;
    }
    if (verdict.achievements.length > shown.length) {
      const more = this.add.text(
        16 * k,
        y,
        `and ${verdict.achievements.length - shown.length} more, listed below the game`,
        textStyle(15 * k, look.colors.muted),
      );
      this.details.add(more);
      y += more.height + 6;
    }
    this.detailsHeight = y;
    if (verdict.achievements.length > 0) this.session.synth.play("achievement");
  }
}
