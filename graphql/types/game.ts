import { listAchievements } from "#core/games/achievements.ts";
import { getGame, listGames, type GameListing } from "#core/games/game-directory.ts";
import { getLeaderboard } from "#core/games/leaderboards.ts";
import { builder } from "../builder.ts";
import { AchievementRef } from "./achievement.ts";
import { GameLeaderboardPeriodEnum, GameLeaderboardRef } from "./game-leaderboard.ts";

// Games: the catalogue with achievements and leaderboards, and runs that are issued by
// the server and verified by replaying their input log (only the replayed score counts).

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
