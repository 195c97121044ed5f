import type { GameRules, InputEvent, RunResult } from "./game-rules.ts";

/**
 * The one clock every game scene plays its rules through, so what the browser plays is
 * exactly what the server replays. Real-time games run a fixed-timestep accumulator at the
 * rules' `ticksPerSecond`: inputs captured between two ticks become the next tick's
 * actions and are recorded as `[tick, action]`, the shape `replayRun` reads. Turn-based
 * games (`ticksPerSecond === 0`) step once per move instead. The driver owns the rules'
 * state; a scene only reads it to draw. No Phaser or DOM here: tests drive it with plain
 * numbers.
 */
export type RunDriverOptions<State> = {
  /**
   * Turn-based games: whether a move is allowed in this state. Rules mutate their state
   * as they step, so a move the rules would refuse must be caught before stepping.
   */
  isLegalMove?: (state: Readonly<State>, action: number) => boolean;
  /** Called after every tick with the actions it applied (sounds, effects). */
  onTick?: (state: Readonly<State>, tick: number, actions: readonly number[]) => void;
  /**
   * The most wall-clock time one `advance` call may turn into ticks. A longer gap (a
   * background tab, a long GC) slows the game for a moment instead of skipping ahead.
   */
  maxCatchUpMs?: number;
};

export type MoveOutcome = { ok: true } | { ok: false; reason: string };

export type RunSubmissionBody = {
  inputs: InputEvent[];
  claimedScore: number;
  /** Segmented games ended early (End run): the tick the player stopped at. */
  endedAtTick?: number;
};

export class RunDriver<State> {
  readonly rules: GameRules<State>;
  readonly state: State;
  /** The segment seeds known so far, by segment (segment 0's from the start). */
  private readonly seeds: (string | undefined)[];
  /** Where the player ended a segmented run early; null while it runs. */
  endedAtTick: number | null = null;
  /** Ticks stepped so far: the tick the next input belongs to. */
  tick = 0;
  readonly events: InputEvent[] = [];
  isPaused = false;
  private readonly options: RunDriverOptions<State>;
  private pending: number[] = [];
  private accumulatorMs = 0;
  private readonly stepActions: number[] = [];

  /**
   * `seeds`: what the server issued, segment 0's seed (or the whole run's, for a game that
   * is not segmented), or every segment's seed known so far, in order.
   */
  constructor(
    rules: GameRules<State>,
    seeds: string | readonly string[],
    options: RunDriverOptions<State> = {},
  ) {
    this.rules = rules;
    this.seeds = typeof seeds === "string" ? [seeds] : [...seeds];
    this.options = options;
    this.state = rules.init(this.seeds[0] ?? "");
  }

  /** Hands over a segment's seed as the server reveals it. */
  addSegmentSeed(segment: number, seed: string): void {
    if (Number.isInteger(segment) && segment > 0) this.seeds[segment] = seed;
  }

  /** The next segment whose seed the run will need and does not have yet, or null. */
  get nextMissingSegment(): number | null {
    const length = this.rules.segmentTicks;
    if (!length) return null;
    const count = Math.ceil(this.rules.maxTicks / length);
    for (let k = Math.floor(this.tick / length) + 1; k < count; k++) {
      if (this.seeds[k] === undefined) return k;
    }
    return null;
  }

  /** Ticks left before the run reaches `nextMissingSegment` (Infinity when none). */
  get ticksToMissingSegment(): number {
    const k = this.nextMissingSegment;
    return k === null ? Infinity : k * this.rules.segmentTicks! - this.tick;
  }

  /** Whether the clock stands at a segment whose seed has not arrived (it waits there). */
  get isWaitingForSegment(): boolean {
    const length = this.rules.segmentTicks;
    if (!length || this.tick === 0 || this.tick % length !== 0 || this.isOver) return false;
    return this.seeds[this.tick / length] === undefined;
  }

  get isTurnBased(): boolean {
    return this.rules.ticksPerSecond <= 0;
  }

  get tickMs(): number {
    return this.isTurnBased ? 0 : 1000 / this.rules.ticksPerSecond;
  }

  get isOver(): boolean {
    return (
      this.endedAtTick !== null || this.tick >= this.rules.maxTicks || this.rules.isOver(this.state)
    );
  }

  /** How far (0–1) wall-clock time is between the last tick and the next, for smooth drawing. */
  get fraction(): number {
    return this.isTurnBased ? 0 : Math.min(1, this.accumulatorMs / this.tickMs);
  }

  /** Whether the log can take another input without passing the game's own cap. */
  get hasRoomForInput(): boolean {
    return this.events.length + this.pending.length < this.rules.maxEvents;
  }

  /**
   * Real-time games: captures an input for the next tick. Refused (false) while paused or
   * over, for an action the game does not have, for a repeat of an action already waiting
   * for this tick (the rules count it once anyway), and once the log is full.
   */
  input(action: number): boolean {
    if (this.isTurnBased) throw new Error("RunDriver.input: a turn-based game moves with move()");
    if (this.isPaused || this.isOver) return false;
    if (!Number.isInteger(action) || action < 0 || action >= this.rules.actionCount) return false;
    if (this.pending.includes(action) || !this.hasRoomForInput) return false;
    this.pending.push(action);
    return true;
  }

  /** Real-time games: turns `elapsedMs` of wall-clock time into ticks; returns how many. */
  advance(elapsedMs: number): number {
    if (this.isTurnBased || this.isPaused || this.isOver) return 0;
    const maxCatchUp = this.options.maxCatchUpMs ?? 250;
    this.accumulatorMs += Math.min(Math.max(elapsedMs, 0), maxCatchUp);
    let stepped = 0;
    while (this.accumulatorMs >= this.tickMs && !this.isOver) {
      if (this.isWaitingForSegment) {
        // Hold still until the segment arrives, without banking time to rush through after.
        this.accumulatorMs = 0;
        break;
      }
      this.accumulatorMs -= this.tickMs;
      const actions = this.pending;
      this.pending = [];
      this.step(actions);
      stepped++;
    }
    if (this.isOver) this.accumulatorMs = 0;
    return stepped;
  }

  /** Turn-based games: plays one move now, as one tick. A refused move changes nothing. */
  move(action: number): MoveOutcome {
    if (!this.isTurnBased) throw new Error("RunDriver.move: a real-time game takes input()");
    if (this.isPaused) return { ok: false, reason: "The game is paused." };
    if (this.isOver) return { ok: false, reason: "The run is over." };
    if (!Number.isInteger(action) || action < 0 || action >= this.rules.actionCount) {
      return { ok: false, reason: "There is no such move." };
    }
    if (!this.hasRoomForInput) return { ok: false, reason: "No moves are left." };
    if (this.options.isLegalMove && !this.options.isLegalMove(this.state, action)) {
      return { ok: false, reason: "That move is not allowed here." };
    }
    this.step([action]);
    return { ok: true };
  }

  pause(): void {
    this.isPaused = true;
  }

  resume(): void {
    this.isPaused = false;
  }

  /**
   * Ends the run now. A segmented game stops where it is (the rest of its randomness is
   * not revealed yet) and says so in its submission; any other game plays the rest with
   * no input, to the same end the server's replay reaches. Either way the score claimed
   * is the score the replay finds.
   */
  finish(): RunResult {
    this.pending = [];
    if (this.rules.segmentTicks) {
      if (!this.isOver) this.endedAtTick = this.tick;
      return this.result();
    }
    while (!this.isOver) this.step([]);
    return this.result();
  }

  result(): RunResult {
    return this.rules.result(this.state);
  }

  /** What the browser sends back: the input log and the score it claims. */
  submission(): RunSubmissionBody {
    return {
      inputs: this.events.map(([tick, action]) => [tick, action]),
      claimedScore: this.result().score,
      ...(this.endedAtTick === null ? {} : { endedAtTick: this.endedAtTick }),
    };
  }

  private step(actions: number[]) {
    const tick = this.tick;
    const length = this.rules.segmentTicks;
    if (length && tick > 0 && tick % length === 0) {
      const seed = this.seeds[tick / length];
      if (seed === undefined) throw new Error(`no seed for the segment at tick ${tick}`);
      this.rules.reseed?.(this.state, seed);
    }
    this.stepActions.length = 0;
    for (const action of actions) {
      this.events.push([tick, action]);
      this.stepActions.push(action);
    }
    const impossible = this.rules.step(this.state, this.stepActions);
    // The driver only feeds actions the rules accept; a refusal here is a bug, not a cheat.
    if (impossible) throw new Error(`${this.rules.title} refused tick ${tick}: ${impossible}`);
    this.tick++;
    this.options.onTick?.(this.state, tick, this.stepActions);
  }
}
