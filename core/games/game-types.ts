import type { UserId } from "#core/auth/ids.ts";
import type { RewardOutcome } from "#core/rewards/reward-types.ts";
import type { GameRunStatus } from "#db/schema-games.ts";

export type GameRun = {
  id: string;
  userId: UserId;
  gameId: string;
  /**
   * The run's own secret seed: the server replays with it. Never shown: segmented games
   * derive every segment's seed from it, and a door that showed it would give a bot the
   * whole run. Players are given `firstSegmentSeed`, then each segment's as it comes due.
   */
  seed: string;
  /** The seed a player starts with: segment 0's (the whole run's when not segmented). */
  firstSegmentSeed: string;
  /** Ticks per randomness segment, or null when the run's randomness comes in one piece. */
  segmentTicks: number | null;
  segmentCount: number;
  rulesVersion: number;
  issuedAt: Date;
  expiresAt: Date;
  status: GameRunStatus;
  submittedAt: Date | null;
  score: number | null;
  perfect: boolean | null;
  rejection: { code: string; reason: string } | null;
};

export type EarnedAchievement = {
  achievementId: string;
  title: string;
  earnedAt: Date;
  reward: RewardOutcome | null;
};

export type GameFailureCode =
  | "not_found"
  | "invalid"
  | "too_many_runs"
  | "already_submitted"
  | "expired"
  | "rejected"
  | "not_yet";

export type GameFailure = {
  code: GameFailureCode;
  message: string;
  run?: GameRun;
  /** `not_yet`: how long until what was asked for comes due. */
  retryAfterMs?: number;
};

/** One revealed segment of a run's randomness. */
export type RunSegment = { runId: string; segment: number; seed: string; startTick: number };
