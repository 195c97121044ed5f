import { getXpLeaderboard, type RankingEntry } from "#core/gamification/rankings.ts";
import { builder } from "../builder.ts";
import { loadEntryUser, rankingQueryField, rankingRef } from "./ranking.ts";
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

rankingQueryField("xpLeaderboard", XpLeaderboardRef, getXpLeaderboard);
