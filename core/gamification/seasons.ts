import type { Db } from "#db/create-db.ts";
import { monthBounds, monthOf } from "./calendar.ts";
import {
  findSeason,
  findSeasonAt,
  insertSeasonIfAbsent,
  listSeasonsStartedBy,
  type SeasonRow,
} from "./seasons.repository.ts";

/**
 * Seasons reset the XP and earnings leaderboards. By default each calendar month (UTC)
 * is a season, created on first use; an admin may insert named seasons of any length,
 * and the one covering a moment wins over the monthly default.
 */
export type Season = { id: string; name: string; startsAt: Date; endsAt: Date };

const toSeason = (row: SeasonRow): Season => ({
  id: row.id,
  name: row.name,
  startsAt: row.starts_at,
  endsAt: row.ends_at,
});

function monthlySeasonName(date: Date): string {
  const month = date.toLocaleString("en", { month: "long", timeZone: "UTC" });
  return `${month} ${date.getUTCFullYear()}`;
}

async function seasonAt(db: Db, at: Date): Promise<Season | null> {
  const row = await findSeasonAt(db, at);
  return row ? toSeason(row) : null;
}

async function ensureMonthlySeason(db: Db, date: Date): Promise<Season> {
  const { startsAt, endsAt } = monthBounds(date);
  const season = { id: monthOf(date), name: monthlySeasonName(date), startsAt, endsAt };
  await insertSeasonIfAbsent(db, season);
  return season;
}

/** The season `now` falls in, creating the month's season when none covers it. */
export async function currentSeason(db: Db, now = new Date()): Promise<Season> {
  const found = await seasonAt(db, now);
  if (found) return found;
  const monthly = await ensureMonthlySeason(db, now);
  return (await seasonAt(db, now)) ?? monthly;
}

/** A season by id; a month ("2031-09") is always a season, recorded on first use. */
export async function getSeason(db: Db, id: string): Promise<Season | null> {
  const byId = async () => {
    const row = await findSeason(db, id);
    return row ? toSeason(row) : null;
  };
  const found = await byId();
  if (found) return found;
  const month = /^([0-9]{4})-(0[1-9]|1[0-2])$/.exec(id);
  if (!month) return null;
  await ensureMonthlySeason(db, new Date(Date.UTC(Number(month[1]), Number(month[2]) - 1, 1)));
  return byId();
}

/** Seasons so far, newest first. */
export async function listSeasons(db: Db, now = new Date(), limit = 24): Promise<Season[]> {
  await currentSeason(db, now);
  const rows = await listSeasonsStartedBy(db, now, limit);
  return rows.map(toSeason);
}
