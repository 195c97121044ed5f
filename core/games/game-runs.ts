import { randomBytes } from "node:crypto";
import type { UserId } from "#core/auth/ids.ts";
import { err, ok, type Result } from "#core/result.ts";
import type { RewardEngine } from "#core/rewards/reward-engine.ts";
import type { Db } from "#db/create-db.ts";
import { judgeInputTiming } from "#game/engine/input-timing.ts";
import { parseInputLog, replayRun, type CueSample } from "#game/engine/replay.ts";
import { segmentCount, segmentSeed } from "#game/engine/run-seeds.ts";
import { isBuiltInGame, rulesAt, rulesOf } from "#game/games.ts";
import { awardRunAchievements } from "./achievements.ts";
import {
  closeIssuedRun,
  countRunsIssuedSince,
  findRun,
  findUsersRun,
  insertRun,
  type GameRunRow,
} from "./game-runs.repository.ts";
import type { EarnedAchievement, GameFailure, GameRun, RunSegment } from "./game-types.ts";
import { earliestSubmission, segmentRevealAt } from "./run-pacing.ts";

/** Runs one person may start per game per hour; plenty for play, a wall against spam. */
export const RUNS_PER_HOUR = 60;
/** The largest input log accepted, in inputs (each game's own cap may be lower). */
export const MAX_LOG_INPUTS = 10_000;
/** Slack on top of a game's longest run for pauses and slow networks. */
const EXPIRY_SLACK_MS = 15 * 60 * 1000;
const TURN_BASED_EXPIRY_MS = 60 * 60 * 1000;

/**
 * Whether `id` has a UUID's shape (8-4-4-4-12 hex digits). Anything else is no run of
 * ours, answered "not found" before it reaches the database (which refuses a malformed
 * uuid with an error of its own).
 */
export function isRunId(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}

function toGameRun(row: GameRunRow): GameRun {
  const rules = isBuiltInGame(row.game_id) ? rulesAt(row.game_id, row.rules_version) : null;
  return {
    id: row.id,
    userId: row.user_id as UserId,
    gameId: row.game_id,
    seed: row.seed,
    firstSegmentSeed: rules ? segmentSeed(rules, row.seed, 0) : row.seed,
    segmentTicks: rules?.segmentTicks ?? null,
    segmentCount: rules ? segmentCount(rules) : 1,
    rulesVersion: row.rules_version,
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
    status: row.status,
    submittedAt: row.submitted_at,
    score: row.score,
    perfect: row.perfect,
    rejection:
      row.rejection_code === null
        ? null
        : { code: row.rejection_code, reason: row.rejection_reason ?? "" },
  };
}

/** Issues a run: its id, a fresh random seed and the rules version it will be replayed on. */
export async function startRun(
  db: Db,
  userId: UserId,
  gameId: string,
  now = new Date(),
): Promise<Result<GameRun, GameFailure>> {
  if (!isBuiltInGame(gameId)) {
    return err({ code: "not_found", message: "There is no such game to play here." });
  }
  const rules = rulesOf(gameId);
  const recent = await countRunsIssuedSince(
    db,
    userId,
    gameId,
    new Date(now.getTime() - 3_600_000),
  );
  if (recent >= RUNS_PER_HOUR) {
    return err({
      code: "too_many_runs",
      message: `You started ${RUNS_PER_HOUR} runs of ${rules.title} in the last hour; take a breather and try again soon.`,
    });
  }
  const longest =
    rules.ticksPerSecond > 0
      ? (rules.maxTicks / rules.ticksPerSecond) * 1000 + EXPIRY_SLACK_MS
      : TURN_BASED_EXPIRY_MS;
  const row = await insertRun(db, {
    user_id: userId,
    game_id: gameId,
    seed: randomBytes(16).toString("hex"),
    rules_version: rules.version,
    issued_at: now,
    expires_at: new Date(now.getTime() + longest),
  });
  return ok(toGameRun(row));
}

export type RunSubmission = { inputs: unknown; claimedScore: unknown; endedAtTick?: unknown };
export type VerifiedRun = { run: GameRun; achievements: EarnedAchievement[] };

async function reject(db: Db, runId: string, code: string, reason: string, now: Date) {
  const row = await closeIssuedRun(db, runId, {
    status: "rejected",
    submitted_at: now,
    rejection_code: code,
    rejection_reason: reason,
  });
  return row ? toGameRun(row) : undefined;
}

/**
 * Verifies a finished run by replaying its input log from the issued seed on the
 * issued rules version. Only the replayed score counts: a claimed score that differs is
 * a forgery and the run is rejected. A run counts once: a second submission, one after
 * expiry, or one that does not replay is refused with the reason, and nothing is paid.
 */
export async function submitRun(
  deps: { db: Db; rewards: RewardEngine },
  userId: UserId,
  runId: string,
  submission: RunSubmission,
  now = new Date(),
): Promise<Result<VerifiedRun, GameFailure>> {
  const { db } = deps;
  const row = isRunId(runId) ? await findRun(db, runId) : undefined;
  if (!row || row.user_id !== userId) {
    return err({ code: "not_found", message: "There is no such run of yours." });
  }
  if (row.status !== "issued") {
    return err({
      code: "already_submitted",
      message: "This run was already submitted; start a new run to play again.",
      run: toGameRun(row),
    });
  }
  const fail = async (code: GameFailure["code"], reasonCode: string, message: string) => {
    const rejected = await reject(db, runId, reasonCode, message, now);
    if (!rejected) {
      return err<GameFailure>({
        code: "already_submitted",
        message: "This run was already submitted.",
      });
    }
    return err<GameFailure>({ code, message, run: rejected });
  };
  if (now > row.expires_at) {
    return fail("expired", "expired", "This run expired before it was submitted; start a new one.");
  }
  if (!isBuiltInGame(row.game_id))
    return fail("invalid", "unknown_game", "This game cannot be replayed here.");
  const rules = rulesAt(row.game_id, row.rules_version);
  if (!rules) {
    return fail(
      "rejected",
      "rules_changed",
      "The game's rules changed since this run began; start a new run.",
    );
  }
  if (
    typeof submission.claimedScore !== "number" ||
    !Number.isSafeInteger(submission.claimedScore)
  ) {
    return fail("invalid", "malformed", "The claimed score is not a whole number.");
  }
  if (Array.isArray(submission.inputs) && submission.inputs.length > MAX_LOG_INPUTS) {
    return fail("rejected", "log_too_large", `An input log has at most ${MAX_LOG_INPUTS} inputs.`);
  }
  const { endedAtTick } = submission;
  if (endedAtTick !== undefined && endedAtTick !== null && !Number.isSafeInteger(endedAtTick)) {
    return fail("invalid", "malformed", "The tick the run ended at is not a whole number.");
  }
  const tooFast = (ticks: number, moves: number) => {
    const earliest = earliestSubmission(
      rules,
      row.issued_at,
      { score: 0, perfect: false, ticks },
      moves,
    );
    if (now >= earliest) return null;
    const seconds = Math.ceil((earliest.getTime() - row.issued_at.getTime()) / 1000);
    const took = Math.max(0, Math.floor((now.getTime() - row.issued_at.getTime()) / 1000));
    return fail(
      "rejected",
      "too_fast",
      rules.ticksPerSecond > 0
        ? `This run plays for ${seconds} s, but it came back ${took} s after it started: a run cannot end before its time.`
        : `${moves} moves take at least ${seconds} s, but this run came back after ${took} s.`,
    );
  };
  // First from the log alone (its last input's tick), so an instant submission is refused as
  // too fast whatever its replay would say; then from the replayed run's own length.
  const log = parseInputLog(rules, submission.inputs);
  if (log.ok) {
    const lastTick = (log.events.at(-1)?.[0] ?? -1) + 1;
    const early = tooFast(lastTick, log.events.length);
    if (early) return early;
  }
  const cues: CueSample[] = [];
  const replayed = replayRun(rules, row.seed, submission.inputs, {
    endedAtTick: typeof endedAtTick === "number" ? endedAtTick : undefined,
    cues,
  });
  if (!replayed.ok) return fail("rejected", replayed.error.code, replayed.error.message);
  const { result } = replayed;
  const early = tooFast(result.ticks, (submission.inputs as unknown[]).length);
  if (early) return early;
  const timing = judgeInputTiming(rules, cues);
  if (!timing.isHuman) return fail("rejected", "inhuman_input", timing.message);
  if (result.score !== submission.claimedScore) {
    return fail(
      "rejected",
      "score_mismatch",
      `The run replays to ${result.score} points, not the ${submission.claimedScore} claimed.`,
    );
  }
  const verified = await closeIssuedRun(db, runId, {
    status: "verified",
    submitted_at: now,
    score: result.score,
    perfect: result.perfect,
    ticks: result.ticks,
    input_count: (submission.inputs as unknown[]).length,
  });
  if (!verified) {
    return err({ code: "already_submitted", message: "This run was already submitted." });
  }
  const run = toGameRun(verified);
  const achievements = await awardRunAchievements(deps, run, now);
  return ok({ run, achievements });
}

/**
 * Reveals segment `segment` of a run's randomness to its player once real time has reached
 * it (less a short lead, see run-pacing.ts); earlier, `not_yet` with how long to wait. Only
 * while the run is open: a submitted or expired run reveals nothing more.
 */
export async function revealRunSegment(
  db: Db,
  userId: UserId,
  runId: string,
  segment: number,
  now = new Date(),
): Promise<Result<RunSegment, GameFailure>> {
  const row = isRunId(runId) ? await findUsersRun(db, userId, runId) : undefined;
  if (!row) return err({ code: "not_found", message: "There is no such run of yours." });
  const run = toGameRun(row);
  if (row.status !== "issued") {
    return err({
      code: "already_submitted",
      message: "This run was already submitted; start a new run to play again.",
      run,
    });
  }
  if (now > row.expires_at) {
    return err({ code: "expired", message: "This run expired; start a new one.", run });
  }
  const rules = isBuiltInGame(row.game_id) ? rulesAt(row.game_id, row.rules_version) : null;
  if (!rules || !Number.isSafeInteger(segment) || segment < 0 || segment >= run.segmentCount) {
    return err({
      code: "not_found",
      message: `This run has segments 0 to ${run.segmentCount - 1}.`,
    });
  }
  const due = segmentRevealAt(rules, row.issued_at, segment);
  if (now < due) {
    return err({
      code: "not_yet",
      message: `Segment ${segment} of this run comes due as the run reaches it.`,
      retryAfterMs: due.getTime() - now.getTime(),
    });
  }
  return ok({
    runId: row.id,
    segment,
    seed: segmentSeed(rules, row.seed, segment),
    startTick: segment * (rules.segmentTicks ?? 0),
  });
}

/** A user's own run (someone else's is "not found"). */
export async function getRun(db: Db, userId: UserId, runId: string): Promise<GameRun | null> {
  if (!isRunId(runId)) return null;
  const row = await findUsersRun(db, userId, runId);
  return row ? toGameRun(row) : null;
}
