import type { GameRules, InputEvent, RunResult } from "./game-rules.ts";

export type ReplayFailureCode =
  | "malformed_log"
  | "log_too_large"
  | "out_of_order"
  | "unknown_action"
  | "impossible_state"
  | "input_after_end"
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

/**
 * Replays a run from its seed and input log through the game's rules to its end, and
 * returns what the run really scored. Work is bounded twice: by the game's `maxTicks`
 * and by a wall-clock budget.
 */
export function replayRun<State>(
  rules: GameRules<State>,
  seed: string,
  rawLog: unknown,
  options: { budgetMs?: number; now?: () => number } = {},
): ReplayOutcome {
  const parsed = parseInputLog(rules as GameRules<unknown>, rawLog);
  if (!parsed.ok) return parsed;
  const events = parsed.events;
  const now = options.now ?? (() => performance.now());
  const deadline = now() + (options.budgetMs ?? 250);
  const state = rules.init(seed);
  let next = 0;
  const actions: number[] = [];
  let tick = 0;
  for (; tick < rules.maxTicks && !rules.isOver(state); tick++) {
    actions.length = 0;
    while (next < events.length && events[next]![0] === tick) actions.push(events[next++]![1]);
    const impossible = rules.step(state, actions);
    if (impossible) return fail("impossible_state", `At tick ${tick}: ${impossible}`);
    if ((tick & 1023) === 1023 && now() > deadline) {
      return fail("too_slow", "The run took too long to check.");
    }
  }
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
  seed: string,
  choose: (state: State, tick: number) => number[],
): { events: InputEvent[]; result: RunResult } {
  const state = rules.init(seed);
  const events: InputEvent[] = [];
  for (let tick = 0; tick < rules.maxTicks && !rules.isOver(state); tick++) {
    const actions = choose(state, tick);
    for (const action of actions) events.push([tick, action]);
    const impossible = rules.step(state, actions);
    if (impossible) throw new Error(`playRun: ${impossible}`);
  }
  return { events, result: rules.result(state) };
}
