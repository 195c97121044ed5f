import { sql, type Insertable, type Selectable } from "kysely";
import type { UserId } from "#core/auth/ids.ts";
import type { Db } from "#db/create-db.ts";
import type { GameRunsTable } from "#db/schema-games.ts";

export type GameRunRow = Selectable<GameRunsTable>;

export async function countRunsIssuedSince(
  db: Db,
  userId: UserId,
  gameId: string,
  since: Date,
): Promise<number> {
  const row = await db
    .selectFrom("game_runs")
    .select(sql<number>`count(*)::int`.as("count"))
    .where("user_id", "=", userId)
    .where("game_id", "=", gameId)
    .where("issued_at", ">", since)
    .executeTakeFirstOrThrow();
  return row.count;
}

export async function insertRun(db: Db, run: Insertable<GameRunsTable>): Promise<GameRunRow> {
  return db.insertInto("game_runs").values(run).returningAll().executeTakeFirstOrThrow();
}

export async function findRun(db: Db, runId: string): Promise<GameRunRow | undefined> {
  return db.selectFrom("game_runs").selectAll().where("id", "=", runId).executeTakeFirst();
}

export async function findUsersRun(
  db: Db,
  userId: UserId,
  runId: string,
): Promise<GameRunRow | undefined> {
  return db
    .selectFrom("game_runs")
    .selectAll()
    .where("id", "=", runId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
}

/** Closes a run still issued; undefined when it was already closed (the first close wins). */
export async function closeIssuedRun(
  db: Db,
  runId: string,
  outcome:
    | {
        status: "rejected";
        submitted_at: Date;
        rejection_code: string;
        rejection_reason: string;
      }
    | {
        status: "verified";
        submitted_at: Date;
        score: number;
        perfect: boolean;
        ticks: number;
        input_count: number;
      },
): Promise<GameRunRow | undefined> {
  return db
    .updateTable("game_runs")
    .set(outcome)
    .where("id", "=", runId)
    .where("status", "=", "issued")
    .returningAll()
    .executeTakeFirst();
}

/** The UTC days (YYYY-MM-DD, newest first) since `since` on which the user finished a verified run. */
export async function readVerifiedRunDays(
  db: Db,
  userId: UserId,
  gameId: string,
  since: Date,
): Promise<string[]> {
  const { rows } = await sql<{ day: string }>`
    select distinct to_char(submitted_at at time zone 'UTC', 'YYYY-MM-DD') as day
    from game_runs
    where user_id = ${userId} and game_id = ${gameId} and status = 'verified'
      and submitted_at > ${since}
    order by day desc`.execute(db);
  return rows.map((r) => r.day);
}
