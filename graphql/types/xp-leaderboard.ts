import { getXpLeaderboard, type RankingEntry } from "#core/gamification/rankings.ts";
import { builder } from "../builder.ts";
import { loadEntryUser, rankingRef, RankingPeriodEnum, viewerIdOf } from "./ranking.ts";
import { UserRef } from "./user.ts";

const XpEntryRef = builder.objectRef<RankingEntry<number>>("XpLeaderboardEntry").implement({
  fields: (t) => ({
    rank: t.exposeInt("rank", { description: "Equal figures share a rank." }),
    xp: t.exposeInt("value"),
    user: t.field({ type: UserRef, resolve: (e, _args, context) => loadEntryUser(e, context) }),
  }),
});

const XpLeaderboardRef = rankingRef(
  "XpLeaderboard",
  XpEntryRef,
  "XP earned in the period, across everything rewarded.",
);

builder.queryField("xpLeaderboard", (t) =>
  t.field({
    type: XpLeaderboardRef,
    nullable: true,
    description: "Null when seasonId names no season.",
    args: {
      period: t.arg({ type: RankingPeriodEnum, required: false, defaultValue: "week" }),
      seasonId: t.arg.id({ required: false, description: "A past season (SEASON period)." }),
      first: t.arg.int({ required: false, defaultValue: 10, description: "1–100." }),
    },
    resolve: (_root, args, context) =>
      getXpLeaderboard(context.services.db, args.period ?? "week", viewerIdOf(context), {
        limit: args.first ?? 10,
        ...(args.seasonId ? { seasonId: args.seasonId } : {}),
      }),
  }),
);
