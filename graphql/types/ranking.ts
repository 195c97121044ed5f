import type { ObjectRef } from "@pothos/core";
import type { UserId } from "#core/auth/ids.ts";
import type {
  Ranking,
  RankingEntry,
  RankingOptions,
  RankingPeriod,
} from "#core/gamification/rankings.ts";
import type { Db } from "#db/create-db.ts";
import { builder } from "../builder.ts";
import type { GraphQLContext } from "../context.ts";
import { socialLoaders } from "../loaders.ts";
import { SeasonRef } from "./season.ts";

// What the XP and earnings leaderboards share: the period, the shape of a ranking, and
// how an entry finds its person.

type PothosTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

export const RankingPeriodEnum = builder.enumType("RankingPeriod", {
  values: {
    WEEK: { value: "week", description: "This week, from Monday 00:00 UTC." },
    SEASON: { value: "season", description: "A season (by default the calendar month, UTC)." },
  } as const,
});

export async function loadEntryUser(entry: RankingEntry<unknown>, context: GraphQLContext) {
  const user = await socialLoaders(context).users.load(entry.userId);
  if (!user) throw new Error(`user ${entry.userId} vanished`);
  return user;
}

export function rankingRef<V>(
  name: string,
  entryRef: ObjectRef<PothosTypes, RankingEntry<V>>,
  description: string,
) {
  return builder.objectRef<Ranking<V>>(name).implement({
    description,
    fields: (t) => ({
      period: t.expose("period", { type: RankingPeriodEnum }),
      season: t.field({
        type: SeasonRef,
        nullable: true,
        description: "The season ranked (SEASON period only).",
        resolve: (r) => r.season,
      }),
      startsAt: t.expose("startsAt", { type: "DateTime" }),
      endsAt: t.expose("endsAt", { type: "DateTime" }),
      entries: t.field({ type: [entryRef], resolve: (r) => r.entries }),
      viewer: t.field({
        type: entryRef,
        nullable: true,
        description:
          "The viewer's own place, even outside the top; null with nothing in the period.",
        resolve: (r) => r.viewer,
      }),
    }),
  });
}

export const viewerIdOf = (context: GraphQLContext): UserId | null =>
  context.viewer?.user.id ?? null;

/** A leaderboard query: the period, a past season and a page size, the same for every ranking. */
export function rankingQueryField<V>(
  fieldName: string,
  ref: ObjectRef<PothosTypes, Ranking<V>>,
  load: (
    db: Db,
    period: RankingPeriod,
    viewerId: UserId | null,
    options: RankingOptions,
  ) => Promise<Ranking<V> | null>,
) {
  builder.queryField(fieldName, (t) =>
    t.field({
      type: ref,
      nullable: true,
      description: "Null when seasonId names no season.",
      args: {
        period: t.arg({ type: RankingPeriodEnum, required: false, defaultValue: "week" }),
        seasonId: t.arg.id({ required: false, description: "A past season (SEASON period)." }),
        first: t.arg.int({ required: false, defaultValue: 10, description: "1–100." }),
      },
      resolve: (_root, args, context) =>
        load(context.services.db, args.period ?? "week", viewerIdOf(context), {
          limit: args.first ?? 10,
          ...(args.seasonId ? { seasonId: args.seasonId } : {}),
        }),
    }),
  );
}
