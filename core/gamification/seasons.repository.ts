import { sql } from "kysely";
import type { Db } from "#db/create-db.ts";

export type SeasonRow = { id: string; name: string; starts_at: Date; ends_at: Date };

/** The season covering `at`; a named season wins over the monthly default it overlaps. */
export async function findSeasonAt(db: Db, at: Date): Promise<SeasonRow | undefined> {
  const { rows } = await sql<SeasonRow>`
    select id, name, starts_at, ends_at from seasons
    where starts_at <= ${at} and ends_at > ${at}
    order by (id ~ '^[0-9]{4}-[0-9]{2}$'), starts_at desc
    limit 1`.execute(db);
  return rows[0];
}

export async function findSeason(db: Db, id: string): Promise<SeasonRow | undefined> {
  const { rows } = await sql<SeasonRow>`
    select id, name, starts_at, ends_at from seasons where id = ${id}`.execute(db);
  return rows[0];
}

/** Records a season unless one with its id exists (concurrent first uses record it once). */
export async function insertSeasonIfAbsent(
  db: Db,
  season: { id: string; name: string; startsAt: Date; endsAt: Date },
): Promise<void> {
  await sql`
    insert into seasons (id, name, starts_at, ends_at)
    values (${season.id}, ${season.name}, ${season.startsAt}, ${season.endsAt})
    on conflict do nothing`.execute(db);
}

/** Seasons begun by `now`, newest first. */
export async function listSeasonsStartedBy(db: Db, now: Date, limit: number): Promise<SeasonRow[]> {
  const { rows } = await sql<SeasonRow>`
    select id, name, starts_at, ends_at from seasons
    where starts_at <= ${now}
    order by starts_at desc limit ${limit}`.execute(db);
  return rows;
}
