import type { RunResult } from "../engine/game-rules.ts";
import type { RunSubmissionBody } from "../engine/run-driver.ts";

/**
 * The one event bus between a running game and the page that hosts it (created once per
 * mounted game, cleared on unmount). Scenes never touch the network: they ask the host
 * for a run and hand it the finished log; the host talks to the server and answers.
 */

/** Where the game is, for the page's own controls (pause, the results summary). */
export type GamePhase = "menu" | "starting" | "playing" | "paused" | "checking" | "results";

/** An achievement a verified run newly earned, with what it paid, as the server answered. */
export type EarnedAchievementView = {
  id: string;
  title: string;
  earnedAt: string;
  reward: { status: "pending" | "paid" | "none" | "reversed"; text: string; detail: string } | null;
};

/** The server's answer to a submitted run. */
export type RunVerdict =
  | {
      ok: true;
      runId: string;
      score: number;
      perfect: boolean;
      achievements: EarnedAchievementView[];
    }
  | { ok: false; runId: string; code: string; reason: string };

export type IssuedRun = { runId: string; seed: string; rulesVersion: number };

export type GameBridgeEvents = {
  // game → host
  "run-requested": Record<string, never>;
  "run-finished": { runId: string; submission: RunSubmissionBody; result: RunResult };
  "phase-changed": { phase: GamePhase };
  /** The run will soon need this segment of its randomness: fetch it. */
  "segment-requested": { runId: string; segment: number };
  "sound-changed": { isOn: boolean };
  /** The first frame that accepts input (the speed bench and tests wait for it). */
  interactive: Record<string, never>;
  // host → game
  "run-issued": IssuedRun;
  "run-refused": { message: string };
  "segment-revealed": { runId: string; segment: number; seed: string };
  "run-verdict": RunVerdict;
  "pause-requested": { isPaused: boolean };
  /** End the run now: the rest plays out with no input and the run is submitted. */
  "end-requested": Record<string, never>;
  "sound-requested": { isOn: boolean };
};

type Listener<T> = (payload: T) => void;

export class GameBridge {
  private readonly listeners = new Map<keyof GameBridgeEvents, Set<Listener<never>>>();

  on<K extends keyof GameBridgeEvents>(
    type: K,
    listener: Listener<GameBridgeEvents[K]>,
  ): () => void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  emit<K extends keyof GameBridgeEvents>(type: K, payload: GameBridgeEvents[K]): void {
    for (const listener of [...(this.listeners.get(type) ?? [])]) {
      (listener as Listener<GameBridgeEvents[K]>)(payload);
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
