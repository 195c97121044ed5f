/**
 * The contract every game's rules meet: pure, deterministic, seeded, stepped at a fixed
 * rate, with no Phaser (or any browser API) import. The browser plays a run through the
 * rules while Phaser draws `state`; the server replays the run's input log through the
 * same rules, and only the replayed result counts.
 */
export type RunResult = {
  score: number;
  /** The game's own "perfect run" (every note perfect, survived to the end, …). */
  perfect: boolean;
  /** How many ticks the run lasted. */
  ticks: number;
};

export interface GameRules<State> {
  readonly id: string;
  /** Bumped whenever a change to the rules would replay an old log differently. */
  readonly version: number;
  readonly title: string;
  /** Ticks per second of the fixed timestep (turn-based games count moves instead). */
  readonly ticksPerSecond: number;
  /** A run ends by this tick at the latest, which bounds any replay's work. */
  readonly maxTicks: number;
  /** The largest input log a real run can produce. */
  readonly maxEvents: number;
  /** The action codes a log may contain. */
  readonly actionCount: number;
  init(seed: string): State;
  /**
   * Advances the state by one tick, applying this tick's actions in order. Returns a
   * reason when an action is impossible in this state (a log that only a cheat makes).
   */
  step(state: State, actions: readonly number[]): string | null;
  isOver(state: State): boolean;
  result(state: State): RunResult;
}

/** One input: at `tick`, action `action` (a small game-specific code). */
export type InputEvent = readonly [tick: number, action: number];
