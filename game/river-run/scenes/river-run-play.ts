import Phaser from "phaser";
import type { RunResult } from "../../engine/game-rules.ts";
import type { RunDriverOptions } from "../../engine/run-driver.ts";
import type { GameSession } from "../../shared/game-session.ts";
import { PlayScene } from "../../shared/play-scene.ts";
import { formatScore, textStyle, uiScale } from "../../shared/ui.ts";
import {
  COIN_SIZE,
  FP,
  JUMP,
  PLAYER_H,
  PLAYER_W,
  PLAYER_X,
  riverRun,
  type RiverRunState,
} from "../rules/river-run.ts";
import { addScenery, drawRock, GROUND_Y } from "./river-run-art.ts";
import { WIDTH } from "./river-run-look.ts";

/** A press this many ticks before landing still jumps, on the tick the runner lands. */
const JUMP_BUFFER_TICKS = 8;
/** How long the crash (or the finish) shows before the results. */
const SETTLE_MS = 900;

/** River Run: draws the runner, rocks and coins where the rules put them; inputs are jumps. */
export class RiverRunPlay extends PlayScene<RiverRunState> {
  protected readonly rules = riverRun;
  private scenery!: ReturnType<typeof addScenery>;
  private rocks!: Phaser.GameObjects.Graphics;
  private coins: Phaser.GameObjects.Image[] = [];
  private runner!: Phaser.GameObjects.Image;
  private scoreText!: Phaser.GameObjects.Text;
  private detailText!: Phaser.GameObjects.Text;
  private clockText!: Phaser.GameObjects.Text;
  private sparkles!: Phaser.GameObjects.Particles.ParticleEmitter;
  private dust!: Phaser.GameObjects.Particles.ParticleEmitter;
  private bufferedJumpUntil = -1;
  private endedAt = 0;
  private timeMs = 0;

  constructor(session: GameSession) {
    super(session, "RiverRunPlay");
  }

  protected override driverOptions(): RunDriverOptions<RiverRunState> {
    let wasAirborne = false;
    let coinsTaken = 0;
    return {
      onTick: (state, _tick, actions) => {
        const { synth } = this.session;
        if (!wasAirborne && state.y > 0 && actions.length > 0) synth.play("jump");
        if (wasAirborne && state.y === 0 && !state.crashed) {
          this.dust.explode(6, PLAYER_X + PLAYER_W / 2, GROUND_Y);
        }
        wasAirborne = state.y > 0;
        if (state.coinsTaken > coinsTaken) {
          coinsTaken = state.coinsTaken;
          synth.play("coin");
          const y = GROUND_Y - state.y / FP - PLAYER_H / 2;
          this.sparkles.explode(10, PLAYER_X + PLAYER_W, y);
          this.floatText("+25", PLAYER_X + PLAYER_W, y - 20);
        }
        if (state.crashed) {
          synth.play("crash");
          this.cameras.main.shake(260, 0.012);
          this.cameras.main.flash(180, 255, 80, 80);
        }
      },
    };
  }

  protected buildWorld() {
    this.bufferedJumpUntil = -1;
    this.endedAt = 0;
    this.timeMs = 0;
    this.scenery = addScenery(this);
    this.scenery.scrollTo(0, 0);
    this.rocks = this.add.graphics();
    this.coins = [];
    this.runner = this.add
      .image(PLAYER_X + PLAYER_W / 2, GROUND_Y, "rr-runner")
      .setOrigin(0.5, 1)
      .setScale(0.5);
    this.sparkles = this.add.particles(0, 0, "spark", {
      speed: { min: 60, max: 180 },
      lifespan: 450,
      scale: { start: 0.5, end: 0 },
      tint: [0xfff3a0, 0xf8c630, 0xffffff],
      emitting: false,
    });
    this.dust = this.add.particles(0, 0, "spark", {
      speedX: { min: -80, max: 20 },
      speedY: { min: -50, max: -10 },
      lifespan: 350,
      scale: { start: 0.35, end: 0 },
      alpha: { start: 0.6, end: 0 },
      tint: 0xc99a5b,
      emitting: false,
    });

    const k = uiScale(this, 1.7);
    const hud = this.add.graphics();
    hud.fillStyle(0x0b1620, 0.45);
    hud.fillRoundedRect(12, 10, 214 * k, 62 * k, 14);
    hud.fillRoundedRect(WIDTH - 12 - 106 * k, 10, 106 * k, 40 * k, 14);
    this.scoreText = this.add.text(
      12 + 14 * k,
      10 + 6 * k,
      "0",
      textStyle(26 * k, "#ffffff", { weight: "bold" }),
    );
    this.detailText = this.add.text(
      12 + 14 * k,
      10 + 38 * k,
      "0 m · 0 coins",
      textStyle(14 * k, "#e6f4f1"),
    );
    this.clockText = this.add
      .text(
        WIDTH - 12 - 53 * k,
        10 + 20 * k,
        "2:00",
        textStyle(22 * k, "#ffffff", { weight: "bold" }),
      )
      .setOrigin(0.5);
  }

  protected bindControls() {
    const jump = () => {
      const state = this.driver?.state;
      if (!state || !this.isAcceptingInput) return;
      if (state.y === 0) this.sendInput(JUMP);
      else this.bufferedJumpUntil = this.driver!.tick + JUMP_BUFFER_TICKS;
    };
    this.input.keyboard?.on("keydown", (event: KeyboardEvent) => {
      if (event.code === "Space" || event.code === "ArrowUp" || event.code === "KeyW") {
        event.preventDefault();
        if (!event.repeat) jump();
      }
    });
    this.input.on("pointerdown", () => jump());
  }

  protected override beforeAdvance() {
    const driver = this.driver;
    if (!driver || this.bufferedJumpUntil < 0) return;
    if (driver.tick > this.bufferedJumpUntil) this.bufferedJumpUntil = -1;
    else if (driver.state.y === 0) {
      this.sendInput(JUMP);
      this.bufferedJumpUntil = -1;
    }
  }

  protected override isSettled() {
    if (this.endedAt === 0) this.endedAt = performance.now();
    return performance.now() - this.endedAt > SETTLE_MS;
  }

  protected drawState(state: Readonly<RiverRunState>, fraction: number, elapsedMs: number) {
    this.timeMs += elapsedMs;
    const isMoving = !state.crashed && !this.driver?.isOver;
    // Between ticks the world slides on by the fraction of a tick, so motion stays smooth.
    const distance = state.distance + (isMoving ? state.speed * fraction : 0);
    const px = distance / FP;
    this.scenery.scrollTo(px, this.timeMs);

    this.rocks.clear();
    for (const rock of state.rocks) {
      const x = (rock.x - distance) / FP;
      if (x > WIDTH + 10 || x + rock.w / FP < -10) continue;
      drawRock(this.rocks, x, rock.w / FP, rock.h / FP);
    }
    let used = 0;
    const spin = Math.abs(Math.cos(this.timeMs / 180));
    for (const coin of state.coins) {
      if (coin.taken) continue;
      const x = (coin.x - distance) / FP;
      if (x > WIDTH + 20 || x < -20) continue;
      const image =
        this.coins[used] ?? (this.coins[used] = this.add.image(0, 0, "rr-coin").setOrigin(0.5));
      image
        .setVisible(true)
        .setPosition(x + COIN_SIZE / 2, GROUND_Y - coin.y / FP - COIN_SIZE / 2)
        .setScale(0.5 * Math.max(0.25, spin), 0.5);
      used++;
    }
    for (let i = used; i < this.coins.length; i++) this.coins[i]!.setVisible(false);

    const feet = GROUND_Y - state.y / FP;
    if (state.crashed) {
      this.runner
        .setPosition(PLAYER_X + PLAYER_W / 2, feet)
        .setAngle(-75)
        .setTint(0xff9d9d);
    } else if (state.y > 0) {
      this.runner
        .setPosition(PLAYER_X + PLAYER_W / 2, feet)
        .setAngle(Phaser.Math.Clamp(-state.vy / 200, -14, 14))
        .setScale(0.48, 0.53)
        .clearTint();
    } else {
      const bob = isMoving ? Math.abs(Math.sin(px / 14)) * 2 : 0;
      this.runner
        .setPosition(PLAYER_X + PLAYER_W / 2, feet - bob)
        .setAngle(0)
        .setScale(0.5, 0.5)
        .clearTint();
    }

    const { score } = riverRun.result(state as RiverRunState);
    const metres = Math.floor(state.distance / FP / 10);
    this.scoreText.setText(formatScore(score));
    this.detailText.setText(
      `${metres} m · ${state.coinsTaken} ${state.coinsTaken === 1 ? "coin" : "coins"}`,
    );
    const secondsLeft = Math.ceil((riverRun.maxTicks - state.tick) / riverRun.ticksPerSecond);
    this.clockText.setText(
      `${Math.floor(secondsLeft / 60)}:${String(secondsLeft % 60).padStart(2, "0")}`,
    );
  }

  protected headline(result: RunResult, state: Readonly<RiverRunState>) {
    const metres = Math.floor(state.distance / FP / 10);
    return result.perfect ? "Two minutes, no crash!" : `Crashed after ${metres} m`;
  }

  private floatText(text: string, x: number, y: number) {
    const label = this.add
      .text(x, y, text, {
        ...textStyle(18, "#fff6b0", { weight: "bold" }),
        stroke: "#7a5200",
        strokeThickness: 4,
      })
      .setOrigin(0.5);
    this.tweens.add({
      targets: label,
      y: y - 36,
      alpha: 0,
      duration: 650,
      onComplete: () => label.destroy(),
    });
  }
}
