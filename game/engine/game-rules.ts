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
  /**
   * Segmented randomness: the run's random numbers come in segments of this many ticks,
   * each from its own seed, which the server reveals only as real time reaches it (so no
   * bot can compute a whole run at its start). Absent: one seed for the whole run.
   */
  readonly segmentTicks?: number;
  /** Called at the first tick of segment k (k ≥ 1) with that segment's seed. */
  reseed?(state: State, seed: string): void;
  /**
   * How many ticks this input comes after the cue it answers (a note's beat, the moment a
   * rock is in reach), or null when it answers none. The pacing check reads these to
   * refuse timings no person produces; called before the tick is stepped.
   */
  cueOffset?(state: Readonly<State>, action: number): number | null;
  /** Segment 0's seed (the whole run's seed when the rules are not segmented). */
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
