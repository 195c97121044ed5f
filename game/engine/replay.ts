import type { GameRules, InputEvent, RunResult } from "./game-rules.ts";
import { allSegmentSeeds } from "./run-seeds.ts";

export type ReplayFailureCode =
  | "malformed_log"
  | "log_too_large"
  | "out_of_order"
  | "unknown_action"
  | "impossible_state"
  | "input_after_end"
  | "bad_end"
  | "too_slow";

export type ReplayFailure = { code: ReplayFailureCode; message: string };
export type ReplayOutcome = { ok: true; result: RunResult } | { ok: false; error: ReplayFailure };

const fail = (code: ReplayFailureCode, message: string): ReplayOutcome => ({
  ok: false,
  error: { code, message },
});

/**
 * Checks an untrusted input log's shape against the game's limits before any of it is
 * simulated: an array of [tick, action] integer pairs, ticks never going back, within
 * the run's length, actions the game knows.
 */
export function parseInputLog(
  rules: GameRules<unknown>,
  raw: unknown,
): { ok: true; events: InputEvent[] } | { ok: false; error: ReplayFailure } {
  if (!Array.isArray(raw)) {
    return { ok: false, error: { code: "malformed_log", message: "The input log is not a list." } };
  }
  if (raw.length > rules.maxEvents) {
    return {
      ok: false,
      error: {
        code: "log_too_large",
        message: `The input log has ${raw.length} inputs; a ${rules.title} run has at most ${rules.maxEvents}.`,
      },
    };
  }
  let lastTick = 0;
  for (const [i, event] of raw.entries()) {
    if (
      !Array.isArray(event) ||
      event.length !== 2 ||
      !Number.isSafeInteger(event[0]) ||
      !Number.isSafeInteger(event[1])
    ) {
      return {
        ok: false,
        error: {
          code: "malformed_log",
          message: `Input ${i + 1} is not a [tick, action] pair of integers.`,
        },
      };
    }
    const [tick, action] = event as [number, number];
    if (tick < lastTick) {
      return {
        ok: false,
        error: {
          code: "out_of_order",
          message: `Input ${i + 1} goes back in time (tick ${tick} after ${lastTick}).`,
        },
      };
    }
    if (tick >= rules.maxTicks) {
      return {
        ok: false,
        error: {
          code: "input_after_end",
          message: `Input ${i + 1} comes after the longest possible run.`,
        },
      };
    }
    if (action < 0 || action >= rules.actionCount) {
      return {
        ok: false,
        error: {
          code: "unknown_action",
          message: `Input ${i + 1} has an action ${rules.title} does not have.`,
        },
      };
    }
    lastTick = tick;
  }
  return { ok: true, events: raw as InputEvent[] };
}

/** One input and how far it came after the cue it answers (see `GameRules.cueOffset`). */
export type CueSample = { tick: number; action: number; offset: number | null };

export type ReplayOptions = {
  budgetMs?: number;
  now?: () => number;
  /**
   * Where the player ended the run (End run), for segmented games: the run stops there
   * instead of playing out, because a browser cannot play segments it has not been given.
   */
  endedAtTick?: number;
  /** Filled with every input's cue offset, for the pacing check. */
  cues?: CueSample[];
};

/** The run's own seed (every segment derived from it) or the segments' seeds in order. */
export type RunSeeds = string | readonly string[];

function seedsFor(rules: GameRules<unknown>, seeds: RunSeeds): readonly string[] {
  return typeof seeds === "string" ? allSegmentSeeds(rules, seeds) : seeds;
}

/**
 * Runs the rules' loop: segment seeds handed over at their first tick, each tick's actions
 * applied in order, to the end of the run or `endedAtTick`. Shared by replay and play so
 * what a bot plays is what the server replays.
 */
function loop<State>(
  rules: GameRules<State>,
  seeds: RunSeeds,
  endAt: number,
  actionsAt: (state: State, tick: number) => readonly number[],
  afterStep: (tick: number) => string | null,
): { state: State; tick: number; failure: ReplayFailure | null } {
  const segments = seedsFor(rules as GameRules<unknown>, seeds);
  const state = rules.init(segments[0] ?? "");
  const segmentTicks = rules.segmentTicks ?? 0;
  let tick = 0;
  for (; tick < endAt && !rules.isOver(state); tick++) {
    if (segmentTicks > 0 && tick > 0 && tick % segmentTicks === 0) {
      const seed = segments[tick / segmentTicks];
      if (seed === undefined) {
        return {
          state,
          tick,
          failure: {
            code: "impossible_state",
            message: `No seed for the segment at tick ${tick}.`,
          },
        };
      }
      rules.reseed?.(state, seed);
    }
    const impossible = rules.step(state, actionsAt(state, tick));
    if (impossible) {
      return {
        state,
        tick,
        failure: { code: "impossible_state", message: `At tick ${tick}: ${impossible}` },
      };
    }
    const stop = afterStep(tick);
    if (stop) return { state, tick, failure: { code: "too_slow", message: stop } };
  }
  return { state, tick, failure: null };
}

/**
 * Replays a run from its seed(s) and input log through the game's rules to its end (or
 * where the player ended it), and returns what the run really scored. Work is bounded
 * twice: by the game's `maxTicks` and by a wall-clock budget.
 */
export function replayRun<State>(
  rules: GameRules<State>,
  seeds: RunSeeds,
  rawLog: unknown,
  options: ReplayOptions = {},
): ReplayOutcome {
  const parsed = parseInputLog(rules as GameRules<unknown>, rawLog);
  if (!parsed.ok) return parsed;
  const events = parsed.events;
  const endAt = options.endedAtTick ?? rules.maxTicks;
  if (!Number.isSafeInteger(endAt) || endAt < 0 || endAt > rules.maxTicks) {
    return fail("bad_end", "The run's end is not a tick of the run.");
  }
  const now = options.now ?? (() => performance.now());
  const deadline = now() + (options.budgetMs ?? 250);
  let next = 0;
  const actions: number[] = [];
  const { state, tick, failure } = loop(
    rules,
    seeds,
    endAt,
    (current, tick) => {
      actions.length = 0;
      while (next < events.length && events[next]![0] === tick) {
        const action = events[next++]![1];
        actions.push(action);
        options.cues?.push({ tick, action, offset: rules.cueOffset?.(current, action) ?? null });
      }
      return actions;
    },
    (tick) =>
      (tick & 1023) === 1023 && now() > deadline ? "The run took too long to check." : null,
  );
  if (failure) return { ok: false, error: failure };
  if (next < events.length) {
    return fail(
      "input_after_end",
      `The log has ${events.length - next} input(s) after the run ended at tick ${tick}.`,
    );
  }
  return { ok: true, result: rules.result(state) };
}

/** Plays a run in memory (tests and recorded runs): the same loop the browser drives. */
export function playRun<State>(
  rules: GameRules<State>,
  seeds: RunSeeds,
  choose: (state: State, tick: number) => number[],
  options: { endAtTick?: number } = {},
): { events: InputEvent[]; result: RunResult } {
  const events: InputEvent[] = [];
  const { state, failure } = loop(
    rules,
    seeds,
    options.endAtTick ?? rules.maxTicks,
    (current, tick) => {
      const actions = choose(current, tick);
      for (const action of actions) events.push([tick, action]);
      return actions;
    },
    () => null,
  );
  if (failure) throw new Error(`playRun: ${failure.message}`);
  return { events, result: rules.result(state) };
}
