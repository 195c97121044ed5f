import type { GameRules } from "./game-rules.ts";
import type { CueSample } from "./replay.ts";

/**
 * Input timings no person produces, judged from a replayed run's inputs and the cues they
 * answer (see game/README.md for where the figures come from). Only real-time games are
 * judged: a turn-based log records moves, not times.
 */

/** Presses of one control within any one second: above a person's fastest tapping (~12–16 Hz). */
export const MAX_PRESSES_PER_SECOND = 20;
/** Cued inputs needed before their precision is judged ("over and over", not a lucky streak). */
export const MIN_CUED_INPUTS = 20;
/**
 * The largest share of consecutive cued inputs whose timing against their cue differs by
 * less than one tick (1/60 s). People's timing wanders from one input to the next (tapping
 * to a beat varies by 10–40 ms, judging when an obstacle arrives by more); a script's
 * repeats itself to the tick.
 */
export const MAX_REPEATED_TIMING_SHARE = 0.9;
/** Consecutive identical intervals between inputs that only a timer produces. */
export const MAX_EQUAL_INTERVALS = 20;

export type TimingVerdict = { isHuman: true } | { isHuman: false; message: string };

export function judgeInputTiming(
  rules: GameRules<unknown>,
  cues: readonly CueSample[],
): TimingVerdict {
  if (rules.ticksPerSecond <= 0) return { isHuman: true };
  const inhuman = (message: string): TimingVerdict => ({ isHuman: false, message });

  // Rate: a sliding one-second window per control.
  const byAction = new Map<number, number[]>();
  for (const { tick, action } of cues) {
    const ticks = byAction.get(action) ?? [];
    ticks.push(tick);
    byAction.set(action, ticks);
  }
  for (const ticks of byAction.values()) {
    for (let i = MAX_PRESSES_PER_SECOND; i < ticks.length; i++) {
      if (ticks[i]! - ticks[i - MAX_PRESSES_PER_SECOND]! < rules.ticksPerSecond) {
        return inhuman(
          `More than ${MAX_PRESSES_PER_SECOND} presses of one control within a second: faster than any hand.`,
        );
      }
    }
  }

  // Precision: inputs that keep the same timing against their cue, over and over.
  const offsets = cues.flatMap((c) => (c.offset === null ? [] : [c.offset]));
  if (offsets.length >= MIN_CUED_INPUTS) {
    let repeated = 0;
    for (let i = 1; i < offsets.length; i++) {
      if (Math.abs(offsets[i]! - offsets[i - 1]!) < 1) repeated++;
    }
    if (repeated / (offsets.length - 1) >= MAX_REPEATED_TIMING_SHARE) {
      const ms = Math.round(1000 / rules.ticksPerSecond);
      return inhuman(
        `${repeated + 1} of ${offsets.length} inputs kept the same timing (within ${ms} ms) against what they answered, input after input; a person's timing varies more than that.`,
      );
    }
  }

  // Regularity: a long run of identical intervals between inputs.
  let same = 0;
  for (let i = 2; i < cues.length; i++) {
    const interval = cues[i]!.tick - cues[i - 1]!.tick;
    same = interval > 0 && interval === cues[i - 1]!.tick - cues[i - 2]!.tick ? same + 1 : 0;
    if (same + 1 >= MAX_EQUAL_INTERVALS) {
      return inhuman(
        `${MAX_EQUAL_INTERVALS} inputs in a row came at exactly even intervals, as only a timer does.`,
      );
    }
  }
  return { isHuman: true };
}
