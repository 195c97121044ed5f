import { currentSeason, listSeasons, type Season } from "#core/gamification/seasons.ts";
import { builder } from "../builder.ts";

export const SeasonRef = builder.objectRef<Season>("Season").implement({
  description: "A season: leaderboards start again with each.",
  fields: (t) => ({
    id: t.exposeID("id", { description: 'A month ("2031-09") or a named season.' }),
    name: t.exposeString("name"),
    startsAt: t.expose("startsAt", { type: "DateTime" }),
    endsAt: t.expose("endsAt", { type: "DateTime" }),
  }),
});

builder.queryField("currentSeason", (t) =>
  t.field({
    type: SeasonRef,
    resolve: (_root, _args, context) => currentSeason(context.services.db),
  }),
);

builder.queryField("seasons", (t) =>
  t.field({
    type: [SeasonRef],
    description: "Seasons so far, newest first.",
    resolve: (_root, _args, context) => listSeasons(context.services.db),
  }),
);
