import type { UserId } from "#core/auth/ids.ts";
import { listAchievements, type Achievement } from "#core/games/achievements.ts";
import { getRun, startRun, submitRun } from "#core/games/game-runs.ts";
import type { EarnedAchievement, GameFailure, GameRun } from "#core/games/game-types.ts";
import {
  getLeaderboard,
  type Leaderboard,
  type LeaderboardEntry,
} from "#core/games/leaderboards.ts";
import { getGame, listGames, type GameListing } from "#core/games/game-directory.ts";
import { builder } from "../builder.ts";
import type { GraphQLContext } from "../context.ts";
import { socialLoaders } from "../loaders.ts";
import { ErrorInterface, NotFoundError, NotSignedInError } from "./errors.ts";
import { RewardRef } from "./reward.ts";
import { UserRef } from "./user.ts";

// Games: the catalogue with achievements and leaderboards, and runs that are issued by
// the server and verified by replaying their input log (only the replayed score counts).

const AchievementKindEnum = builder.enumType("AchievementKind", {
  values: {
    FIRST_FINISH: { value: "first_finish" },
    SCORE_AT_LEAST: { value: "score_at_least", description: "A score of at least `threshold`." },
    PERFECT_RUN: { value: "perfect_run" },
    DAYS_IN_ROW: { value: "days_in_row", description: "Runs on `threshold` UTC days in a row." },
    REPORTED: { value: "reported", description: "Reported by the game itself (external games)." },
  } as const,
});

const GameLeaderboardPeriodEnum = builder.enumType("GameLeaderboardPeriod", {
  values: {
    DAY: { value: "day", description: "Today, UTC." },
    WEEK: { value: "week", description: "This week, from Monday 00:00 UTC." },
  } as const,
});

const GameRunStatusEnum = builder.enumType("GameRunStatus", {
  values: {
    ISSUED: { value: "issued", description: "Started; waiting for its input log." },
    VERIFIED: { value: "verified", description: "Replayed: its score counts." },
    REJECTED: { value: "rejected", description: "Refused; `rejection` says why." },
  } as const,
});

export const AchievementRef = builder.objectRef<Achievement>("Achievement").implement({
  description: "Something to earn in a game, once per person, paid from the game's budget.",
  fields: (t) => ({
    id: t.exposeID("id"),
    gameId: t.exposeID("gameId"),
    title: t.exposeString("title"),
    description: t.exposeString("description"),
    kind: t.expose("kind", { type: AchievementKindEnum }),
    threshold: t.exposeInt("threshold", { nullable: true }),
    earnedAt: t.expose("earnedAt", {
      type: "DateTime",
      nullable: true,
      description: "When the viewer earned it; null when they have not, or nobody is signed in.",
    }),
  }),
});

const GameLeaderboardEntryRef = builder
  .objectRef<LeaderboardEntry>("GameLeaderboardEntry")
  .implement({
    fields: (t) => ({
      rank: t.exposeInt("rank", { description: "Equal scores share a rank." }),
      score: t.exposeInt("score", { description: "The player's best verified score." }),
      player: t.field({
        type: UserRef,
        resolve: async (entry, _args, context) => {
          const user = await socialLoaders(context).users.load(entry.userId);
          if (!user) throw new Error(`player ${entry.userId} vanished`);
          return user;
        },
      }),
    }),
  });

const GameLeaderboardRef = builder.objectRef<Leaderboard>("GameLeaderboard").implement({
  description: "Best verified scores in a period, with the viewer's own place.",
  fields: (t) => ({
    period: t.expose("period", { type: GameLeaderboardPeriodEnum }),
    startsAt: t.expose("startsAt", { type: "DateTime" }),
    endsAt: t.expose("endsAt", { type: "DateTime" }),
    entries: t.field({ type: [GameLeaderboardEntryRef], resolve: (board) => board.entries }),
    viewer: t.field({
      type: GameLeaderboardEntryRef,
      nullable: true,
      description: "The viewer's own entry, even outside the top; null when they have not played.",
      resolve: (board) => board.viewer,
    }),
  }),
});

export const GameRef = builder.objectRef<GameListing>("Game").implement({
  description: "A game to play on Tributary: its achievements and leaderboards.",
  fields: (t) => ({
    id: t.exposeID("id", { description: 'A short name, e.g. "river-run".' }),
    title: t.exposeString("title"),
    description: t.exposeString("description"),
    isBuiltIn: t.exposeBoolean("isBuiltIn", {
      description: "True for Tributary's own games; false for an external studio's.",
    }),
    rulesVersion: t.exposeInt("rulesVersion", {
      nullable: true,
      description: "The rules version new runs are replayed on (built-in games).",
    }),
    achievements: t.field({
      type: [AchievementRef],
      resolve: (game, _args, context) =>
        listAchievements(context.services.db, context.viewer?.user.id ?? null, game.id),
    }),
    leaderboard: t.field({
      type: GameLeaderboardRef,
      args: {
        period: t.arg({ type: GameLeaderboardPeriodEnum, required: true }),
        first: t.arg.int({ required: false, defaultValue: 10, description: "1–100." }),
      },
      resolve: (game, args, context) =>
        getLeaderboard(context.services.db, game.id, args.period, context.viewer?.user.id ?? null, {
          limit: args.first ?? 10,
        }),
    }),
  }),
});

const RunRejectionRef = builder
  .objectRef<{ code: string; reason: string }>("GameRunRejection")
  .implement({
    fields: (t) => ({
      code: t.exposeString("code", {
        description:
          "score_mismatch, malformed_log, log_too_large, out_of_order, unknown_action, impossible_state, input_after_end, too_slow, expired, rules_changed, malformed or unknown_game.",
      }),
      reason: t.exposeString("reason", { description: "In words to show the player." }),
    }),
  });

export const GameRunRef = builder.objectRef<GameRun>("GameRun").implement({
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
    seed: t.exposeString("seed", { description: "Seeds the game's random numbers." }),
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

const EarnedAchievementRef = builder
  .objectRef<EarnedAchievement & { achievement: Achievement }>("EarnedAchievement")
  .implement({
    fields: (t) => ({
      achievement: t.field({ type: AchievementRef, resolve: (e) => e.achievement }),
      earnedAt: t.expose("earnedAt", { type: "DateTime" }),
      reward: t.field({
        type: RewardRef,
        nullable: true,
        description: "Its reward (held, available or refused with a reason).",
        resolve: (e, _args, context) =>
          e.reward ? socialLoaders(context).rewards.load(e.reward.rewardId) : null,
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
}

function requireViewer(context: GraphQLContext): UserId {
  if (!context.viewer) throw new NotSignedInError();
  return context.viewer.user.id;
}

builder.queryFields((t) => ({
  games: t.field({
    type: [GameRef],
    description: "Every game, Tributary's own first.",
    resolve: (_root, _args, context) => listGames(context.services.db),
  }),
  game: t.field({
    type: GameRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, context) => getGame(context.services.db, args.id),
  }),
}));

const StartRunPayloadRef = builder.objectRef<{ run: GameRun }>("StartRunPayload").implement({
  fields: (t) => ({ run: t.field({ type: GameRunRef, resolve: (p) => p.run }) }),
});

type SubmitRunPayload = {
  run: GameRun;
  achievements: (EarnedAchievement & { achievement: Achievement })[];
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

builder.mutationFields((t) => ({
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
