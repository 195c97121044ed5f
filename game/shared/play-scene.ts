import Phaser from "phaser";
import type { GameRules, RunResult } from "../engine/game-rules.ts";
import { RunDriver, type RunDriverOptions } from "../engine/run-driver.ts";
import type { IssuedRun } from "./game-bridge.ts";
import type { GameSession } from "./game-session.ts";
import type { OverData } from "./over.ts";
import { addButton, textStyle, uiScale } from "./ui.ts";

type Mode = "waiting" | "refused" | "countdown" | "running" | "ending";

const COUNTDOWN_MS = 1500;
/**
 * How far ahead of a segment boundary the scene asks for that segment's seed. The server
 * reveals a segment a little earlier than this (run-pacing.ts), and this scene's clock is
 * always behind the server's (it starts after the countdown, and stops while paused).
 */
const SEGMENT_PREFETCH_MS = 2000;

/**
 * What every game's play scene shares: asking the page for a run, a 3-2-1 countdown for
 * real-time games, the fixed-timestep clock (a RunDriver) stepping the rules, pause (P,
 * Esc, the page's button; the clock stops), sound on/off (M), ending a run early, and
 * handing the finished log to the page. Subclasses build the world, bind their controls
 * (which only ever call `sendInput` or `sendMove`), and draw the rules' state each frame.
 */
export abstract class PlayScene<State> extends Phaser.Scene {
  protected readonly session: GameSession;
  protected driver: RunDriver<State> | null = null;
  private mode: Mode = "waiting";
  private isPausedNow = false;
  private lastNow = 0;
  private countdownMs = 0;
  private banner!: Phaser.GameObjects.Text;
  private requestedSegment = 0;
  private isShowingWait = false;
  private pauseLayer!: Phaser.GameObjects.Container;
  private readonly cleanups: (() => void)[] = [];

  protected abstract readonly rules: GameRules<State>;

  constructor(session: GameSession, key: string) {
    super({ key });
    this.session = session;
  }

  /** Creates the game's objects (called once per run, before the run is issued). */
  protected abstract buildWorld(): void;
  /** Binds the game's own keys and touch controls. */
  protected abstract bindControls(): void;
  /** Draws the rules' state; `fraction` is how far time is towards the next tick. */
  protected abstract drawState(state: Readonly<State>, fraction: number, elapsedMs: number): void;
  /** What the results screen says first, e.g. "Crashed at 240 m". */
  protected abstract headline(result: RunResult, state: Readonly<State>): string;

  protected driverOptions(): RunDriverOptions<State> {
    return {};
  }

  /** A turn-based scene holds the end back until its last animation has played. */
  protected isSettled(): boolean {
    return true;
  }

  /** Called every frame before the clock advances (e.g. to release a buffered jump). */
  protected beforeAdvance(): void {}

  protected get isAcceptingInput(): boolean {
    return this.mode === "running" && !this.isPausedNow && this.driver !== null;
  }

  protected get isPaused(): boolean {
    return this.isPausedNow;
  }

  /** Real-time games: an input for the next tick. */
  protected sendInput(action: number): boolean {
    if (!this.isAcceptingInput) return false;
    this.session.synth.unlock();
    return this.driver!.input(action);
  }

  /** Turn-based games: one move, stepped now. */
  protected sendMove(action: number): boolean {
    if (!this.isAcceptingInput) return false;
    this.session.synth.unlock();
    return this.driver!.move(action).ok;
  }

  create() {
    this.mode = "waiting";
    this.isPausedNow = false;
    this.lastNow = 0;
    this.driver = null;
    this.session.driver = null;
    this.session.run = null;
    this.session.acceptsInput = () => this.isAcceptingInput;
    this.buildWorld();
    const { width, height } = this.session.look;
    this.banner = this.add
      .text(width / 2, height / 2, "", {
        ...textStyle(30 * uiScale(this), "#ffffff", {
          weight: "bold",
          align: "center",
          wrap: width - 60,
        }),
        stroke: "#0b1620",
        strokeThickness: 6,
      })
      .setOrigin(0.5)
      .setDepth(50);
    this.buildPauseLayer();
    // The game's own keys first: they ignore input while paused, then P/Esc/Enter resume.
    this.bindControls();
    this.bindCommonKeys();

    const { bridge } = this.session;
    this.cleanups.push(
      bridge.on("run-issued", (run) => this.begin(run)),
      bridge.on("run-refused", ({ message }) => this.refuse(message)),
      bridge.on("pause-requested", ({ isPaused }) => (isPaused ? this.pause() : this.resume())),
      bridge.on("end-requested", () => this.endEarly()),
      bridge.on("segment-revealed", ({ runId, segment, seed }) => {
        if (this.driver && this.session.run?.runId === runId) {
          this.driver.addSegmentSeed(segment, seed);
        }
      }),
    );
    const onHidden = () => this.pause();
    this.game.events.on(Phaser.Core.Events.HIDDEN, onHidden);
    this.cleanups.push(() => this.game.events.off(Phaser.Core.Events.HIDDEN, onHidden));
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
      this.session.acceptsInput = () => false;
      for (const cleanup of this.cleanups.splice(0)) cleanup();
    });

    this.session.setPhase("starting");
    this.banner.setText("Getting your run ready…");
    bridge.emit("run-requested", {});
  }

  override update() {
    const now = performance.now();
    const elapsed = this.lastNow === 0 ? 0 : now - this.lastNow;
    this.lastNow = now;
    const driver = this.driver;
    if (!driver) return;
    if (this.mode === "countdown" && !this.isPausedNow) {
      const before = Math.ceil(this.countdownMs / (COUNTDOWN_MS / 3));
      this.countdownMs -= elapsed;
      const after = Math.ceil(this.countdownMs / (COUNTDOWN_MS / 3));
      if (this.countdownMs <= 0) {
        this.banner.setText("Go!");
        this.session.synth.play("go");
        this.tweens.add({ targets: this.banner, alpha: 0, delay: 250, duration: 300 });
        this.startRunning();
      } else if (after !== before) {
        this.banner.setText(String(after));
        this.session.synth.play("count");
      }
    }
    if (this.mode === "running" && !this.isPausedNow) {
      this.askForNextSegment(driver);
      this.beforeAdvance();
      driver.advance(elapsed);
      this.showSegmentWait(driver.isWaitingForSegment);
      if (driver.isOver && this.isSettled()) this.end();
    }
    this.drawState(driver.state, driver.fraction, this.isPausedNow ? 0 : elapsed);
  }

  /** Asks the page for the next segment's seed a little before the run reaches it. */
  private askForNextSegment(driver: RunDriver<State>) {
    const segment = driver.nextMissingSegment;
    const run = this.session.run;
    if (segment === null || !run || segment <= this.requestedSegment) return;
    if (driver.ticksToMissingSegment * driver.tickMs > SEGMENT_PREFETCH_MS) return;
    this.requestedSegment = segment;
    this.session.bridge.emit("segment-requested", { runId: run.runId, segment });
  }

  /** A slow answer holds the clock at the boundary; say so rather than look frozen. */
  private showSegmentWait(isWaiting: boolean) {
    if (isWaiting === this.isShowingWait) return;
    this.isShowingWait = isWaiting;
    this.banner.setText(isWaiting ? "Waiting for the server…" : "").setAlpha(1);
  }

  private begin(run: IssuedRun) {
    if (this.driver || this.mode !== "waiting") return;
    this.session.run = run;
    this.requestedSegment = 0;
    this.isShowingWait = false;
    const driver = new RunDriver(this.rules, run.seed, this.driverOptions());
    this.driver = driver;
    this.session.driver = driver as RunDriver<unknown>;
    if (driver.isTurnBased) {
      this.banner.setText("");
      this.startRunning();
    } else {
      this.mode = "countdown";
      this.countdownMs = COUNTDOWN_MS;
      this.banner.setText("3").setAlpha(1);
      this.session.synth.play("count");
      this.session.setPhase("playing");
    }
  }

  private startRunning() {
    this.mode = "running";
    this.lastNow = performance.now();
    this.session.setPhase(this.isPausedNow ? "paused" : "playing");
  }

  private refuse(message: string) {
    if (this.mode !== "waiting") return;
    this.mode = "refused";
    this.banner.setText(message).setFontSize(22 * uiScale(this));
    const { width, height } = this.session.look;
    addButton(this, width / 2, height / 2 + 90, "Back", () => this.scene.start("Menu"), {
      fill: this.session.look.colors.accent,
    }).setDepth(51);
    this.session.setPhase("menu");
  }

  private bindCommonKeys() {
    this.input.keyboard?.on("keydown", (event: KeyboardEvent) => {
      if (event.repeat) return;
      if (event.code === "KeyP" || event.code === "Escape") {
        event.preventDefault();
        if (this.isPausedNow) this.resume();
        else this.pause();
      } else if (event.code === "KeyM") {
        this.session.toggleSound();
      } else if (this.isPausedNow && event.code === "Enter") {
        event.preventDefault();
        this.resume();
      }
    });
  }

  protected pause() {
    if (this.isPausedNow || (this.mode !== "running" && this.mode !== "countdown")) return;
    this.isPausedNow = true;
    this.driver?.pause();
    this.pauseLayer.setVisible(true);
    this.session.setPhase("paused");
  }

  protected resume() {
    if (!this.isPausedNow) return;
    this.isPausedNow = false;
    this.driver?.resume();
    this.lastNow = performance.now();
    this.pauseLayer.setVisible(false);
    this.session.setPhase("playing");
  }

  private buildPauseLayer() {
    const { width, height, colors } = this.session.look;
    const k = uiScale(this, 1.6);
    const shade = this.add
      .rectangle(width / 2, height / 2, width, height, 0x0b1620, 0.72)
      .setInteractive();
    // The shade swallows taps so a tap meant for Resume never reaches the game below.
    shade.on(
      "pointerdown",
      (_p: Phaser.Input.Pointer, _x: number, _y: number, event: Phaser.Types.Input.EventData) =>
        event.stopPropagation(),
    );
    const title = this.add
      .text(
        width / 2,
        height / 2 - 60 - 40 * k,
        "Paused",
        textStyle(40 * k, "#ffffff", { weight: "bold" }),
      )
      .setOrigin(0.5);
    const hint = this.add
      .text(
        width / 2,
        height / 2 - 28 - 28 * k,
        "The clock is stopped. P, Esc or Enter resumes.",
        textStyle(16 * k, "#d7e7e3", { align: "center", wrap: width - 40 }),
      )
      .setOrigin(0.5);
    const resume = addButton(this, width / 2, height / 2 + 16, "Resume", () => this.resume(), {
      fill: colors.accent,
      width: 220 * k,
      height: 52 * k,
      fontSize: 22 * k,
    });
    const endRun = addButton(
      this,
      width / 2,
      height / 2 + 28 + 66 * k,
      "End run now",
      () => this.endEarly(),
      { width: 220 * k, height: 52 * k, isQuiet: true, fontSize: 20 * k },
    );
    this.pauseLayer = this.add
      .container(0, 0, [shade, title, hint, resume, endRun])
      .setDepth(100)
      .setVisible(false);
  }

  private endEarly() {
    if (this.mode !== "running" && this.mode !== "countdown") return;
    this.resume();
    this.end();
  }

  /**
   * Ends the run (the rest plays out with no input, or a segmented game stops where it is),
   * shows the results, and hands over the log.
   */
  protected end() {
    const driver = this.driver;
    const run = this.session.run;
    if (!driver || !run || this.mode === "ending") return;
    this.mode = "ending";
    this.session.acceptsInput = () => false;
    const result = driver.finish();
    const submission = driver.submission();
    this.session.setPhase("checking");
    const data: OverData = {
      runId: run.runId,
      result,
      headline: this.headline(result, driver.state),
    };
    // The results open over the run's last frame, which stays where the run ended.
    this.scene.launch("Over", data);
    this.scene.pause();
    this.session.bridge.emit("run-finished", { runId: run.runId, submission, result });
  }
}
