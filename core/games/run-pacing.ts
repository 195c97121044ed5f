import type { GameRules, RunResult } from "#game/engine/game-rules.ts";

/**
 * A run cannot be submitted before its simulated time has passed in real time since the
 * server issued it. The tolerance covers clocks: the issuing and the judging instance may
 * differ slightly; the browser itself can never be early (its clock starts after the issue
 * arrives, behind a 1.5 s countdown, and stops while paused).
 */
export const PACING_TOLERANCE_SHARE = 0.05;
export const PACING_TOLERANCE_MAX_MS = 2_000;
/**
 * Turn-based games have no clock to match: each move must have taken at least this long.
 * A Tide Tiles move's own animation (swap, clear, fall) takes about 600 ms before the next
 * move is possible, and a person looks for the move first.
 */
export const TURN_BASED_MS_PER_MOVE = 400;

/** The real time a run's play must have taken, before tolerance. */
export function runDurationMs(rules: GameRules<unknown>, result: RunResult, moves: number): number {
  return rules.ticksPerSecond > 0
    ? (result.ticks / rules.ticksPerSecond) * 1000
    : moves * TURN_BASED_MS_PER_MOVE;
}

/** The earliest a run may be submitted: its duration less the tolerance, after its issue. */
export function earliestSubmission(
  rules: GameRules<unknown>,
  issuedAt: Date,
  result: RunResult,
  moves: number,
): Date {
  const duration = runDurationMs(rules, result, moves);
  const tolerance = Math.min(PACING_TOLERANCE_MAX_MS, duration * PACING_TOLERANCE_SHARE);
  return new Date(issuedAt.getTime() + Math.ceil(duration - tolerance));
}

/**
 * A segment's seed is revealed this long before real time reaches the segment, so the
 * browser (which asks about two seconds ahead) has it before its clock gets there.
 */
export const SEGMENT_REVEAL_LEAD_MS = 3_000;

/** When segment `segment` of a run issued at `issuedAt` may be revealed. */
export function segmentRevealAt(rules: GameRules<unknown>, issuedAt: Date, segment: number): Date {
  const startMs = ((segment * (rules.segmentTicks ?? 0)) / rules.ticksPerSecond) * 1000;
  return new Date(issuedAt.getTime() + Math.max(0, startMs - SEGMENT_REVEAL_LEAD_MS));
}
