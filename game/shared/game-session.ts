import type { BuiltInGameId } from "../games.ts";
import type { RunDriver } from "../engine/run-driver.ts";
import type { GameBridge, GamePhase, IssuedRun, RunVerdict } from "./game-bridge.ts";
import { Synth } from "./sound.ts";

/** What a game looks like around its rules: sizes, colours and words for its scenes. */
export type GameLook = {
  id: BuiltInGameId;
  title: string;
  tagline: string;
  width: number;
  height: number;
  colors: {
    /** Canvas background. */
    background: number;
    /** Buttons and highlights. */
    accent: number;
    /** Text on panels. */
    ink: string;
    /** Quieter text. */
    muted: string;
    /** Panels drawn over the game (pause, results). */
    panel: number;
  };
  controls: { keyboard: string; touch: string };
  /** The key of the game's own play scene. */
  playScene: string;
};

/**
 * One mounted game's shared pieces, handed to each of its scenes: the bridge to the
 * page, the synthesiser, the run being played and the server's answers. The verdicts
 * are kept here because the answer may arrive before the results scene exists.
 */
export class GameSession {
  readonly bridge: GameBridge;
  readonly look: GameLook;
  readonly synth: Synth;
  phase: GamePhase = "menu";
  run: IssuedRun | null = null;
  driver: RunDriver<unknown> | null = null;
  /** Whether the play scene takes input right now (not paused, counting down or animating). */
  acceptsInput: () => boolean = () => false;
  readonly verdicts = new Map<string, RunVerdict>();
  private readonly unsubscribe: () => void;

  constructor(bridge: GameBridge, look: GameLook, synth = new Synth()) {
    this.bridge = bridge;
    this.look = look;
    this.synth = synth;
    const offVerdict = bridge.on("run-verdict", (verdict) => {
      this.verdicts.set(verdict.runId, verdict);
    });
    const offSound = bridge.on("sound-requested", ({ isOn }) => this.setSound(isOn));
    this.unsubscribe = () => {
      offVerdict();
      offSound();
    };
  }

  setPhase(phase: GamePhase): void {
    if (this.phase === phase) return;
    this.phase = phase;
    this.bridge.emit("phase-changed", { phase });
  }

  setSound(isOn: boolean): void {
    this.synth.setOn(isOn);
    this.bridge.emit("sound-changed", { isOn });
  }

  toggleSound(): void {
    this.setSound(!this.synth.isOn);
  }

  close(): void {
    this.unsubscribe();
    this.synth.close();
  }
}
