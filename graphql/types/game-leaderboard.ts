import type { Leaderboard, LeaderboardEntry } from "#core/games/leaderboards.ts";
import { builder } from "../builder.ts";
import { socialLoaders } from "../loaders.ts";
import { UserRef } from "./user.ts";

export const GameLeaderboardPeriodEnum = builder.enumType("GameLeaderboardPeriod", {
  values: {
    DAY: { value: "day", description: "Today, UTC." },
    WEEK: { value: "week", description: "This week, from Monday 00:00 UTC." },
  } as const,
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

export const GameLeaderboardRef = builder.objectRef<Leaderboard>("GameLeaderboard").implement({
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
