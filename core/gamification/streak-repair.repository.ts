import { sql } from "kysely";
import type { UserId } from "#core/auth/ids.ts";
import type { Db } from "#db/create-db.ts";

/** The repairs of days from `sinceDay` on: the day repaired and the month it was bought in. */
export async function readStreakRepairs(
  db: Db,
  userId: UserId,
  sinceDay: string,
): Promise<{ day: string; month: string }[]> {
  const { rows } = await sql<{ day: string; month: string }>`
    select repaired_day::text as day, month from streak_repairs
    where user_id = ${userId} and repaired_day >= ${sinceDay}::date`.execute(db);
  return rows;
}

/** Records the month's repair; false when the month already has one. */
export async function insertStreakRepair(
  db: Db,
  repair: { userId: UserId; month: string; repairedDay: string; price: bigint; at: Date },
): Promise<boolean> {
  const { rows } = await sql`
    insert into streak_repairs (user_id, month, repaired_day, price, created_at)
    values (${repair.userId}, ${repair.month}, ${repair.repairedDay}::date,
            ${repair.price.toString()}::numeric, ${repair.at})
    on conflict do nothing
    returning month`.execute(db);
  return rows.length > 0;
}

export async function setStreakRepairTransfer(
  db: Db,
  userId: UserId,
  month: string,
  transferId: bigint,
): Promise<void> {
  await sql`
    update streak_repairs set transfer_id = ${String(transferId)}::bigint
    where user_id = ${userId} and month = ${month}`.execute(db);
}
