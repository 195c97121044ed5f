import { sql } from "kysely";
import type { UserId } from "#core/auth/ids.ts";
import type { Db } from "#db/create-db.ts";

/** The mark of the last streak bonus paid ("<run's first day>:<milestone days>"), if any. */
export async function readStreakBonusPaid(db: Db, userId: UserId): Promise<string | null> {
  const row = await db
    .selectFrom("user_progress")
    .select("streak_bonus_paid")
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row?.streak_bonus_paid ?? null;
}

export async function recordStreakBonusPaid(
  db: Db,
  userId: UserId,
  paidMark: string,
): Promise<void> {
  await sql`
    insert into user_progress (user_id, streak_bonus_paid) values (${userId}, ${paidMark})
    on conflict (user_id) do update set streak_bonus_paid = excluded.streak_bonus_paid`.execute(db);
}
