import type { UserId } from "#core/auth/ids.ts";
import type { Db } from "#db/create-db.ts";
import { foldRewards } from "./activity.repository.ts";
import { dayStart, utcDay, weekStartOf, addDays } from "./calendar.ts";
import { readRankingRows, type RankingRow } from "./rankings.repository.ts";
import { currentSeason, getSeason, type Season } from "./seasons.ts";

/**
 * Leaderboards across everything rewarded: XP earned and MICRO earned, this week (from
 * Monday 00:00 UTC) or this season (seasons reset them). Figures come from the folded
 * daily totals plus the rewards not folded yet, so they are exact. Hidden people do not
 * appear; the earners board shows only people who chose to show their earnings (and
 * always the viewer their own place).
 */
export type RankingPeriod = "week" | "season";
export type RankingKind = "xp" | "earned";

export type RankingEntry<V> = { rank: number; userId: UserId; value: V };

export type Ranking<V> = {
  kind: RankingKind;
  period: RankingPeriod;
  /** The season ranked, for the season period. */
  season: Season | null;
  startsAt: Date;
  endsAt: Date;
  entries: RankingEntry<V>[];
  /** The viewer's own place, even outside the top; null when they have nothing in the period. */
  viewer: RankingEntry<V> | null;
};

export type RankingOptions = { limit?: number; now?: Date; seasonId?: string };

export type RankingFailure = { code: "not_found"; message: string };

async function bounds(
  db: Db,
  period: RankingPeriod,
  options: RankingOptions,
): Promise<{ startsAt: Date; endsAt: Date; season: Season | null } | null> {
  const now = options.now ?? new Date();
  if (period === "week") {
    const start = weekStartOf(utcDay(now));
    return { startsAt: dayStart(start), endsAt: dayStart(addDays(start, 7)), season: null };
  }
  const season = options.seasonId
    ? await getSeason(db, options.seasonId)
    : await currentSeason(db, now);
  return season ? { startsAt: season.startsAt, endsAt: season.endsAt, season } : null;
}

async function rank(
  db: Db,
  kind: RankingKind,
  period: RankingPeriod,
  viewerId: UserId | null,
  options: RankingOptions,
) {
  const range = await bounds(db, period, options);
  if (!range) return null;
  // Keep the unfolded tail short (skipped when another fold is running: reads stay exact).
  await foldRewards(db);
  const limit = Math.min(Math.max(options.limit ?? 10, 1), 100);
  const rows = await readRankingRows(db, {
    kind,
    fromDay: utcDay(range.startsAt),
    toDay: utcDay(range.endsAt),
    startsAt: range.startsAt,
    endsAt: range.endsAt,
    viewerId,
    limit,
  });
  return { range, rows, limit };
}

function shape<V>(
  kind: RankingKind,
  period: RankingPeriod,
  result: NonNullable<Awaited<ReturnType<typeof rank>>>,
  parse: (v: string) => V,
): Ranking<V> {
  const toEntry = (r: RankingRow): RankingEntry<V> => ({
    rank: r.rank,
    userId: r.user_id,
    value: parse(r.v),
  });
  const viewer = result.rows.find((r) => r.is_viewer);
  return {
    kind,
    period,
    season: result.range.season,
    startsAt: result.range.startsAt,
    endsAt: result.range.endsAt,
    entries: result.rows
      .filter((r) => r.rank <= result.limit)
      .slice(0, result.limit)
      .map(toEntry),
    viewer: viewer ? toEntry(viewer) : null,
  };
}

/** XP earned in the period, highest first, with the viewer's own rank. */
export async function getXpLeaderboard(
  db: Db,
  period: RankingPeriod,
  viewerId: UserId | null,
  options: RankingOptions = {},
): Promise<Ranking<number> | null> {
  const result = await rank(db, "xp", period, viewerId, options);
  return result ? shape("xp", period, result, (v) => Number(v)) : null;
}

/** MICRO earned in the period (held and available rewards), highest first, with the viewer's rank. */
export async function getEarnersLeaderboard(
  db: Db,
  period: RankingPeriod,
  viewerId: UserId | null,
  options: RankingOptions = {},
): Promise<Ranking<bigint> | null> {
  const result = await rank(db, "earned", period, viewerId, options);
  return result ? shape("earned", period, result, (v) => BigInt(v)) : null;
}
