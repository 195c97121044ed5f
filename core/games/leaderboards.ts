import type { UserId } from "#core/auth/ids.ts";
import type { Db } from "#db/create-db.ts";
import { readLeaderboardRows, type LeaderboardRow } from "./leaderboards.repository.ts";

export type LeaderboardPeriod = "day" | "week";
export type LeaderboardEntry = { rank: number; userId: UserId; score: number };
export type Leaderboard = {
  gameId: string;
  period: LeaderboardPeriod;
  startsAt: Date;
  endsAt: Date;
  entries: LeaderboardEntry[];
  /** The viewer's own place, even when outside the top entries; null if they have not played. */
  viewer: LeaderboardEntry | null;
};

/** The UTC day, or the ISO week (Monday 00:00 UTC), that `now` falls in. */
export function periodBounds(
  period: LeaderboardPeriod,
  now: Date,
): { startsAt: Date; endsAt: Date } {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  if (period === "day") return { startsAt: day, endsAt: new Date(day.getTime() + 86_400_000) };
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  const startsAt = new Date(day.getTime() - sinceMonday * 86_400_000);
  return { startsAt, endsAt: new Date(startsAt.getTime() + 7 * 86_400_000) };
}

/**
 * Each player's best verified score in the period, highest first (ties: who got there
 * first ranks higher), with the viewer's own rank. People hidden by moderation do not
 * appear (nor take a rank from anyone).
 */
export async function getLeaderboard(
  db: Db,
  gameId: string,
  period: LeaderboardPeriod,
  viewerId: UserId | null,
  options: { limit?: number; now?: Date } = {},
): Promise<Leaderboard> {
  const { startsAt, endsAt } = periodBounds(period, options.now ?? new Date());
  const limit = Math.min(Math.max(options.limit ?? 10, 1), 100);
  const rows = await readLeaderboardRows(db, gameId, { startsAt, endsAt }, viewerId, limit);
  const toEntry = (r: LeaderboardRow) => ({
    rank: r.rank,
    userId: r.user_id as UserId,
    score: r.score,
  });
  const viewerRow = rows.find((r) => r.is_viewer);
  return {
    gameId,
    period,
    startsAt,
    endsAt,
    entries: rows.filter((r) => r.rank <= limit).map(toEntry),
    viewer: viewerRow ? toEntry(viewerRow) : null,
  };
}
