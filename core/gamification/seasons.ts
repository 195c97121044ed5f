import { sql } from "kysely";
import type { Db } from "#db/create-db.ts";
import { monthBounds, monthOf } from "./calendar.ts";

/**
 * Seasons reset the XP and earnings leaderboards. By default each calendar month (UTC)
 * is a season, created on first use; an admin may insert named seasons of any length,
 * and the one covering a moment wins over the monthly default.
 */
export type Season = { id: string; name: string; startsAt: Date; endsAt: Date };

type SeasonRow = { id: string; name: string; starts_at: Date; ends_at: Date };

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
  const { rows } = await sql<SeasonRow>`
    select id, name, starts_at, ends_at from seasons
    where starts_at <= ${at} and ends_at > ${at}
    -- A named season wins over the monthly default it overlaps.
    order by (id ~ '^[0-9]{4}-[0-9]{2}$'), starts_at desc
    limit 1`.execute(db);
  return rows[0] ? toSeason(rows[0]) : null;
}

async function ensureMonthlySeason(db: Db, date: Date): Promise<Season> {
  const { startsAt, endsAt } = monthBounds(date);
  const season = { id: monthOf(date), name: monthlySeasonName(date), startsAt, endsAt };
  await sql`
    insert into seasons (id, name, starts_at, ends_at)
    values (${season.id}, ${season.name}, ${startsAt}, ${endsAt})
    on conflict do nothing`.execute(db);
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
    const { rows } = await sql<SeasonRow>`
      select id, name, starts_at, ends_at from seasons where id = ${id}`.execute(db);
    return rows[0] ? toSeason(rows[0]) : null;
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
  const { rows } = await sql<SeasonRow>`
    select id, name, starts_at, ends_at from seasons
    where starts_at <= ${now}
    order by starts_at desc limit ${limit}`.execute(db);
  return rows.map(toSeason);
}
