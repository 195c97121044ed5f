import type Phaser from "phaser";
import type { RunResult } from "../../engine/game-rules.ts";
import type { RunDriverOptions } from "../../engine/run-driver.ts";
import type { GameSession } from "../../shared/game-session.ts";
import { PlayScene } from "../../shared/play-scene.ts";
import { formatScore, textStyle } from "../../shared/ui.ts";
import { LANES, rapidsRhythm, type RapidsRhythmState } from "../rules/rapids-rhythm.ts";
import {
  HIT_Y,
  LANE_WIDTH,
  laneCentre,
  laneColours,
  laneKeys,
  LANES_X,
  PX_PER_TICK,
  TOP_Y,
} from "./rapids-rhythm-art.ts";
import { HEIGHT, WIDTH } from "./rapids-rhythm-look.ts";

const BEAT_TICKS = 30;
const laneOfKey: Record<string, number> = {
  KeyD: 0,
  KeyF: 1,
  KeyJ: 2,
  KeyK: 3,
  ArrowLeft: 0,
  ArrowDown: 1,
  ArrowUp: 2,
  ArrowRight: 3,
};
const SETTLE_MS = 600;

/**
 * Rapids Rhythm: notes float down four lanes with the current and are judged by the
 * rules as they cross the line. Keys D F J K (or the arrows) and the lanes themselves,
 * tapped, are the inputs; the beat is synthesised from the tick clock.
 */
export class RapidsRhythmPlay extends PlayScene<RapidsRhythmState> {
  protected readonly rules = rapidsRhythm;
  private notes: Phaser.GameObjects.Image[] = [];
  private ripples: Phaser.GameObjects.TileSprite[] = [];
  private pads!: Phaser.GameObjects.Graphics;
  private line!: Phaser.GameObjects.Graphics;
  private progress!: Phaser.GameObjects.Graphics;
  private scoreText!: Phaser.GameObjects.Text;
  private comboText!: Phaser.GameObjects.Text;
  private bursts!: Phaser.GameObjects.Particles.ParticleEmitter;
  private announced = new Uint8Array(0);
  private padGlow = [0, 0, 0, 0];
  private padMiss = [0, 0, 0, 0];
  private beatGlow = 0;
  private shownCombo = 0;
  private endedAt = 0;

  constructor(session: GameSession) {
    super(session, "RapidsRhythmPlay");
  }

  protected override driverOptions(): RunDriverOptions<RapidsRhythmState> {
    let strayTaps = 0;
    return {
      onTick: (state, tick, actions) => {
        if (tick <= state.endTick - 30) {
          if (tick % BEAT_TICKS === 0) {
            this.session.synth.play("kick");
            this.beatGlow = 1;
          } else if (tick % BEAT_TICKS === BEAT_TICKS / 2 && tick >= 120) {
            this.session.synth.play("hat");
          }
        }
        if (state.strayTaps > strayTaps) {
          strayTaps = state.strayTaps;
          for (const lane of actions) this.padMiss[lane] = 1;
        }
      },
    };
  }

  protected buildWorld() {
    this.endedAt = 0;
    this.shownCombo = 0;
    this.padGlow = [0, 0, 0, 0];
    this.padMiss = [0, 0, 0, 0];
    this.announced = new Uint8Array(0);
    this.add.image(0, 0, "rh-bg").setOrigin(0);
    this.ripples = [];
    for (let lane = 0; lane < LANES; lane++) {
      this.ripples.push(
        this.add
          .tileSprite(
            LANES_X + lane * LANE_WIDTH + 3,
            TOP_Y,
            LANE_WIDTH - 6,
            HEIGHT - TOP_Y,
            "rh-ripples",
          )
          .setOrigin(0),
      );
    }
    this.line = this.add.graphics();
    this.notes = [];
    this.pads = this.add.graphics();
    for (let lane = 0; lane < LANES; lane++) {
      this.add
        .text(
          laneCentre(lane),
          HIT_Y + 64,
          laneKeys[lane]!,
          textStyle(28, "#ffffff", { weight: "bold" }),
        )
        .setOrigin(0.5)
        .setAlpha(0.9)
        .setDepth(3);
    }
    this.bursts = this.add
      .particles(0, 0, "spark", {
        speed: { min: 80, max: 260 },
        angle: { min: 200, max: 340 },
        lifespan: 420,
        scale: { start: 0.55, end: 0 },
        emitting: false,
      })
      .setDepth(4);

    const hud = this.add.graphics().setDepth(10);
    hud.fillStyle(0x06101d, 0.9);
    hud.fillRect(0, 0, WIDTH, TOP_Y - 6);
    this.progress = this.add.graphics().setDepth(11);
    this.add.text(20, 14, "Score", textStyle(14, "#9fb8cc")).setDepth(11);
    this.scoreText = this.add
      .text(20, 32, "0", textStyle(30, "#ffffff", { weight: "bold" }))
      .setDepth(11);
    this.add
      .text(WIDTH - 20, 14, "Combo", textStyle(14, "#9fb8cc"))
      .setOrigin(1, 0)
      .setDepth(11);
    this.comboText = this.add
      .text(WIDTH - 20, 32, "0", textStyle(30, "#ffffff", { weight: "bold" }))
      .setOrigin(1, 0)
      .setDepth(11);
  }

  protected bindControls() {
    this.input.keyboard?.on("keydown", (event: KeyboardEvent) => {
      const lane = laneOfKey[event.code];
      if (lane === undefined) return;
      event.preventDefault();
      if (!event.repeat) this.tap(lane);
    });
    this.input.on("pointerdown", (pointer: Phaser.Input.Pointer) => {
      if (pointer.y < TOP_Y) return;
      const lane = Math.floor((pointer.x - LANES_X) / LANE_WIDTH);
      if (lane >= 0 && lane < LANES) this.tap(lane);
    });
  }

  private tap(lane: number) {
    if (!this.sendInput(lane)) return;
    this.padGlow[lane] = 1;
    this.session.synth.play("lane", lane);
  }

  protected override isSettled() {
    if (this.endedAt === 0) this.endedAt = performance.now();
    return performance.now() - this.endedAt > SETTLE_MS;
  }

  protected drawState(state: Readonly<RapidsRhythmState>, fraction: number, elapsedMs: number) {
    const now = state.tick + fraction;
    if (this.announced.length !== state.notes.length) {
      this.announced = new Uint8Array(state.notes.length);
    }
    for (const ripple of this.ripples) ripple.tilePositionY = -now * PX_PER_TICK;

    // Notes in view: from just below the line to the top of the river.
    let used = 0;
    const lookAhead = (HIT_Y - TOP_Y) / PX_PER_TICK + 10;
    for (let i = Math.max(0, state.cursor - 8); i < state.notes.length; i++) {
      const note = state.notes[i]!;
      if (note.tick > now + lookAhead) break;
      if (note.judgement !== "pending" && !this.announced[i])
        this.announce(i, note.lane, note.judgement);
      if (note.judgement === "perfect" || note.judgement === "good") continue;
      const y = HIT_Y - (note.tick - now) * PX_PER_TICK;
      if (y > HEIGHT + 20) continue;
      const image =
        this.notes[used] ??
        (this.notes[used] = this.add.image(0, 0, "rh-note-0").setScale(0.5).setDepth(2));
      image
        .setTexture(`rh-note-${note.lane}`)
        .setPosition(laneCentre(note.lane), y)
        .setAlpha(note.judgement === "miss" ? 0.3 : 1)
        .setVisible(true);
      used++;
    }
    for (let i = used; i < this.notes.length; i++) this.notes[i]!.setVisible(false);

    const fade = Math.min(1, elapsedMs / 180);
    this.beatGlow = Math.max(0, this.beatGlow - fade);
    this.line.clear();
    this.line.lineStyle(6, 0xffffff, 0.35 + 0.5 * this.beatGlow);
    this.line.lineBetween(LANES_X, HIT_Y, LANES_X + LANE_WIDTH * LANES, HIT_Y);

    this.pads.clear();
    for (let lane = 0; lane < LANES; lane++) {
      this.padGlow[lane] = Math.max(0, this.padGlow[lane]! - fade);
      this.padMiss[lane] = Math.max(0, this.padMiss[lane]! - fade / 2);
      const x = LANES_X + lane * LANE_WIDTH + 6;
      const colour = this.padMiss[lane]! > 0.05 ? 0xf43f5e : laneColours[lane]!;
      this.pads.fillStyle(colour, 0.22 + 0.6 * Math.max(this.padGlow[lane]!, this.padMiss[lane]!));
      this.pads.fillRoundedRect(x, HIT_Y + 22, LANE_WIDTH - 12, 84, 18);
      this.pads.lineStyle(3, laneColours[lane]!, 0.9);
      this.pads.strokeRoundedRect(x, HIT_Y + 22, LANE_WIDTH - 12, 84, 18);
      if (this.padGlow[lane]! > 0) {
        this.pads.fillStyle(laneColours[lane]!, 0.25 * this.padGlow[lane]!);
        this.pads.fillRect(x - 3, TOP_Y, LANE_WIDTH - 6, HIT_Y - TOP_Y);
      }
    }

    this.progress.clear();
    this.progress.fillStyle(0xffffff, 0.12);
    this.progress.fillRect(0, TOP_Y - 6, WIDTH, 4);
    this.progress.fillStyle(0x2dd4bf, 1);
    this.progress.fillRect(0, TOP_Y - 6, WIDTH * Math.min(1, state.tick / state.endTick), 4);

    this.scoreText.setText(formatScore(state.score));
    if (state.combo !== this.shownCombo) {
      if (state.combo > this.shownCombo) {
        this.tweens.add({ targets: this.comboText, scale: { from: 1.25, to: 1 }, duration: 140 });
      }
      this.shownCombo = state.combo;
      this.comboText.setText(String(state.combo));
    }
  }

  private announce(index: number, lane: number, judgement: string) {
    this.announced[index] = 1;
    const x = laneCentre(lane);
    if (judgement === "miss") {
      this.session.synth.play("miss");
      this.popup(x, "Miss", "#fda4af");
      return;
    }
    this.bursts.setParticleTint(laneColours[lane]!);
    this.bursts.explode(judgement === "perfect" ? 14 : 7, x, HIT_Y);
    this.popup(
      x,
      judgement === "perfect" ? "Perfect" : "Good",
      judgement === "perfect" ? "#fef08a" : "#bae6fd",
    );
  }

  private popup(x: number, text: string, colour: string) {
    const label = this.add
      .text(x, HIT_Y - 34, text, {
        ...textStyle(20, colour, { weight: "bold" }),
        stroke: "#06101d",
        strokeThickness: 4,
      })
      .setOrigin(0.5)
      .setDepth(5);
    this.tweens.add({
      targets: label,
      y: HIT_Y - 74,
      alpha: 0,
      duration: 520,
      onComplete: () => label.destroy(),
    });
  }

  protected headline(result: RunResult, state: Readonly<RapidsRhythmState>) {
    const hits = state.notes.filter(
      (n) => n.judgement === "perfect" || n.judgement === "good",
    ).length;
    return result.perfect ? "Perfect run!" : `${hits} of ${state.notes.length} notes hit`;
  }
}
