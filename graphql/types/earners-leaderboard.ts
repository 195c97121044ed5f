import { getEarnersLeaderboard, type RankingEntry } from "#core/gamification/rankings.ts";
import { builder } from "../builder.ts";
import { loadEntryUser, rankingQueryField, rankingRef } from "./ranking.ts";
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

rankingQueryField("earnersLeaderboard", EarnersLeaderboardRef, getEarnersLeaderboard);
