import type { UserId } from "#core/auth/ids.ts";
import type { RewardOutcome } from "#core/rewards/reward-types.ts";
import type { GameRunStatus } from "#db/schema-games.ts";

export type GameRun = {
  id: string;
  userId: UserId;
  gameId: string;
  seed: string;
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
  "not_found" | "invalid" | "too_many_runs" | "already_submitted" | "expired" | "rejected";

export type GameFailure = { code: GameFailureCode; message: string; run?: GameRun };
