import type { UserId } from "#core/auth/ids.ts";
import { listAchievements } from "#core/games/achievements.ts";
import { getGame } from "#core/games/game-directory.ts";
import { getRun, revealRunSegment, startRun, submitRun } from "#core/games/game-runs.ts";
import type { GameFailure, GameRun, RunSegment } from "#core/games/game-types.ts";
import { builder } from "../builder.ts";
import type { GraphQLContext } from "../context.ts";
import { EarnedAchievementRef, type EarnedAchievementOf } from "./achievement.ts";
import { ErrorInterface, NotFoundError, NotSignedInError } from "./errors.ts";
import { GameRef } from "./game.ts";

const GameRunStatusEnum = builder.enumType("GameRunStatus", {
  values: {
    ISSUED: { value: "issued", description: "Started; waiting for its input log." },
    VERIFIED: { value: "verified", description: "Replayed: its score counts." },
    REJECTED: { value: "rejected", description: "Refused; `rejection` says why." },
  } as const,
});

const RunRejectionRef = builder
  .objectRef<{ code: string; reason: string }>("GameRunRejection")
  .implement({
    fields: (t) => ({
      code: t.exposeString("code", {
        description:
          "too_fast (submitted before its time had passed), inhuman_input (timings no person produces), score_mismatch, malformed_log, log_too_large, out_of_order, unknown_action, impossible_state, input_after_end, bad_end, too_slow, expired, rules_changed, malformed or unknown_game.",
      }),
      reason: t.exposeString("reason", { description: "In words to show the player." }),
    }),
  });

const GameRunRef = builder.objectRef<GameRun>("GameRun").implement({
  description: "One run of a game, issued by the server with a seed; only its owner sees it.",
  fields: (t) => ({
    id: t.exposeID("id"),
    game: t.field({
      type: GameRef,
      resolve: async (run, _args, context) => {
        const game = await getGame(context.services.db, run.gameId);
        if (!game) throw new Error(`game ${run.gameId} vanished`);
        return game;
      },
    }),
    seed: t.exposeString("firstSegmentSeed", {
      description:
        "Seeds the game's random numbers: the whole run's, or segment 0's when `segmentTicks` is set (ask revealRunSegment for the others as the run reaches them).",
    }),
    segmentTicks: t.exposeInt("segmentTicks", {
      nullable: true,
      description:
        "Ticks per randomness segment; null when the game's randomness comes in one piece.",
    }),
    segmentCount: t.exposeInt("segmentCount"),
    rulesVersion: t.exposeInt("rulesVersion"),
    status: t.expose("status", { type: GameRunStatusEnum }),
    issuedAt: t.expose("issuedAt", { type: "DateTime" }),
    expiresAt: t.expose("expiresAt", {
      type: "DateTime",
      description: "Submit the run's input log before this.",
    }),
    submittedAt: t.expose("submittedAt", { type: "DateTime", nullable: true }),
    score: t.exposeInt("score", { nullable: true, description: "The replayed score." }),
    isPerfect: t.exposeBoolean("perfect", { nullable: true }),
    rejection: t.field({
      type: RunRejectionRef,
      nullable: true,
      resolve: (run) => run.rejection,
    }),
  }),
});

// Typed refusals: each carries core's reason.

export class TooManyRunsError extends Error {}
export class RunAlreadySubmittedError extends Error {
  constructor(
    message: string,
    readonly run: GameRun,
  ) {
    super(message);
  }
}
export class RunExpiredError extends Error {
  constructor(
    message: string,
    readonly run: GameRun,
  ) {
    super(message);
  }
}
export class RunRejectedError extends Error {
  constructor(
    message: string,
    readonly reason: string,
    readonly run: GameRun,
  ) {
    super(message);
  }
}

export class RunSegmentNotYetError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

builder.objectType(RunSegmentNotYetError, {
  name: "RunSegmentNotYetError",
  description: "The run has not reached this segment yet: ask again after `retryAfterMs`.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ retryAfterMs: t.exposeInt("retryAfterMs") }),
});

builder.objectType(TooManyRunsError, {
  name: "TooManyRunsError",
  description: "Too many runs of this game were started in the last hour.",
  interfaces: [ErrorInterface],
  fields: () => ({}),
});

builder.objectType(RunAlreadySubmittedError, {
  name: "RunAlreadySubmittedError",
  description: "A run counts once: this one was already submitted.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    run: t.field({ type: GameRunRef, resolve: (error) => error.run }),
  }),
});

builder.objectType(RunExpiredError, {
  name: "RunExpiredError",
  description: "The run was submitted after it expired; nothing was rewarded.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    run: t.field({ type: GameRunRef, resolve: (error) => error.run }),
  }),
});

builder.objectType(RunRejectedError, {
  name: "RunRejectedError",
  description:
    "The run did not verify: its log did not replay, or replayed to another score than claimed. Nothing was rewarded.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    reason: t.exposeString("reason", {
      description: "The rejection code, as in GameRunRejection.code.",
    }),
    run: t.field({ type: GameRunRef, resolve: (error) => error.run }),
  }),
});

/**
 * Throws core's refusal as the typed error of the mutation's union. Every refusal of a
 * submitted run carries the run (read again when core's answer came without it), so
 * clients read `run` the same way on success and on every error.
 */
async function throwGameFailure(
  context: GraphQLContext,
  userId: UserId,
  runId: string | null,
  failure: GameFailure,
): Promise<never> {
  if (failure.code === "not_found") throw new NotFoundError(failure.message);
  if (failure.code === "too_many_runs") throw new TooManyRunsError(failure.message);
  if (failure.code === "not_yet") {
    throw new RunSegmentNotYetError(failure.message, failure.retryAfterMs ?? 0);
  }
  const run = failure.run ?? (runId ? await getRun(context.services.db, userId, runId) : null);
  if (!run) throw new NotFoundError(failure.message);
  switch (failure.code) {
    case "already_submitted":
      throw new RunAlreadySubmittedError(failure.message, run);
    case "expired":
      throw new RunExpiredError(failure.message, run);
    case "invalid":
    case "rejected":
      throw new RunRejectedError(failure.message, run.rejection?.code ?? failure.code, run);
  }
  throw new Error(`unhandled game failure ${failure.code}`);
}

function requireViewer(context: GraphQLContext): UserId {
  if (!context.viewer) throw new NotSignedInError();
  return context.viewer.user.id;
}

const StartRunPayloadRef = builder.objectRef<{ run: GameRun }>("StartRunPayload").implement({
  fields: (t) => ({ run: t.field({ type: GameRunRef, resolve: (p) => p.run }) }),
});

type SubmitRunPayload = {
  run: GameRun;
  achievements: EarnedAchievementOf[];
};

const SubmitRunPayloadRef = builder.objectRef<SubmitRunPayload>("SubmitRunPayload").implement({
  fields: (t) => ({
    run: t.field({ type: GameRunRef, resolve: (p) => p.run }),
    achievements: t.field({
      type: [EarnedAchievementRef],
      description: "What this run earned for the first time.",
      resolve: (p) => p.achievements,
    }),
  }),
});

const RunSegmentRef = builder.objectRef<RunSegment>("RunSegment").implement({
  description: "One segment of a run's randomness, revealed as real time reaches it.",
  fields: (t) => ({
    runId: t.exposeID("runId"),
    segment: t.exposeInt("segment"),
    seed: t.exposeString("seed", { description: "Seeds the segment's random numbers." }),
    startTick: t.exposeInt("startTick", { description: "The segment's first tick." }),
  }),
});

builder.mutationFields((t) => ({
  revealRunSegment: t.field({
    type: RunSegmentRef,
    description:
      "The seed of segment `segment` of an open run of yours, once real time since the run began has reached that segment (less a few seconds' lead): ask for the next one before the run needs it.",
    args: { runId: t.arg.id({ required: true }), segment: t.arg.int({ required: true }) },
    errors: {
      types: [
        NotSignedInError,
        NotFoundError,
        RunSegmentNotYetError,
        RunAlreadySubmittedError,
        RunExpiredError,
      ],
    },
    resolve: async (_root, args, context) => {
      const userId = requireViewer(context);
      const runId = String(args.runId);
      const result = await revealRunSegment(context.services.db, userId, runId, args.segment);
      if (!result.ok) return throwGameFailure(context, userId, runId, result.error);
      return result.value;
    },
  }),
  startRun: t.field({
    type: StartRunPayloadRef,
    description:
      "Starts a run of a game: the server issues its id, seed and rules version. Play it, then submitRun with its input log.",
    args: { gameId: t.arg.id({ required: true }) },
    errors: { types: [NotSignedInError, NotFoundError, TooManyRunsError] },
    resolve: async (_root, args, context) => {
      const userId = requireViewer(context);
      const result = await startRun(context.services.db, userId, args.gameId);
      if (!result.ok) return throwGameFailure(context, userId, null, result.error);
      return { run: result.value };
    },
  }),
  submitRun: t.field({
    type: SubmitRunPayloadRef,
    description:
      "Submits a finished run's input log ([tick, action] pairs). The server replays it on the issued seed and rules; only the replayed score counts, and a claimed score that differs is rejected. A run counts once.",
    args: {
      runId: t.arg.id({ required: true }),
      inputs: t.arg({ type: "JSON", required: true, description: "The input log." }),
      claimedScore: t.arg.int({ required: true }),
      endedAtTick: t.arg.int({
        required: false,
        description:
          "For a segmented game ended early: the tick the player stopped at (the run ends there).",
      }),
    },
    errors: {
      types: [
        NotSignedInError,
        NotFoundError,
        RunAlreadySubmittedError,
        RunExpiredError,
        RunRejectedError,
      ],
    },
    resolve: async (_root, args, context) => {
      const userId = requireViewer(context);
      const { db, rewards } = context.services;
      const result = await submitRun({ db, rewards }, userId, args.runId, {
        inputs: args.inputs,
        claimedScore: args.claimedScore,
        endedAtTick: args.endedAtTick ?? undefined,
      });
      if (!result.ok) return throwGameFailure(context, userId, args.runId, result.error);
      const { run, achievements } = result.value;
      const catalogue = new Map(
        (await listAchievements(db, userId, run.gameId)).map((a) => [a.id, a]),
      );
      return {
        run,
        achievements: achievements.map((earned) => {
          const achievement = catalogue.get(earned.achievementId);
          if (!achievement) throw new Error(`achievement ${earned.achievementId} vanished`);
          return { ...earned, achievement };
        }),
      };
    },
  }),
}));
