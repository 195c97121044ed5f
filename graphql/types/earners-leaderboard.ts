import { getEarnersLeaderboard, type RankingEntry } from "#core/gamification/rankings.ts";
import { builder } from "../builder.ts";
import { loadEntryUser, rankingRef, RankingPeriodEnum, viewerIdOf } from "./ranking.ts";
import { UserRef } from "./user.ts";

const EarnerEntryRef = builder
  .objectRef<RankingEntry<bigint>>("EarnersLeaderboardEntry")
  .implement({
    fields: (t) => ({
      rank: t.exposeInt("rank", { description: "Equal figures share a rank." }),
      amount: t.expose("value", {
        type: "TokenAmount",
        description: "MICRO earned (held and available rewards).",
      }),
      user: t.field({ type: UserRef, resolve: (e, _args, context) => loadEntryUser(e, context) }),
    }),
  });

const EarnersLeaderboardRef = rankingRef(
  "EarnersLeaderboard",
  EarnerEntryRef,
  "MICRO earned in the period. Shows only people who chose to show their earnings, and the viewer's own place.",
);

builder.queryField("earnersLeaderboard", (t) =>
  t.field({
    type: EarnersLeaderboardRef,
    nullable: true,
    description: "Null when seasonId names no season.",
    args: {
      period: t.arg({ type: RankingPeriodEnum, required: false, defaultValue: "week" }),
      seasonId: t.arg.id({ required: false, description: "A past season (SEASON period)." }),
      first: t.arg.int({ required: false, defaultValue: 10, description: "1–100." }),
    },
    resolve: (_root, args, context) =>
      getEarnersLeaderboard(context.services.db, args.period ?? "week", viewerIdOf(context), {
        limit: args.first ?? 10,
        ...(args.seasonId ? { seasonId: args.seasonId } : {}),
      }),
  }),
);
