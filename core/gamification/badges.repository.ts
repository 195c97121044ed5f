import { sql } from "kysely";
import type { UserId } from "#core/auth/ids.ts";
import type { Db } from "#db/create-db.ts";

/** Records the badges not yet earned; returns the ids newly recorded. */
export async function insertEarnedBadges(
  db: Db,
  userId: UserId,
  badgeIds: readonly string[],
  now: Date,
): Promise<string[]> {
  const { rows } = await sql<{ badge_id: string }>`
    insert into user_badges (user_id, badge_id, earned_at)
    select ${userId}::uuid, id, ${now}::timestamptz from unnest(${sql.val(badgeIds)}::text[]) as b(id)
    on conflict (user_id, badge_id) do nothing
    returning badge_id`.execute(db);
  return rows.map((r) => r.badge_id);
}

export async function readEarnedBadges(
  db: Db,
  userId: UserId,
): Promise<{ badge_id: string; earned_at: Date }[]> {
  return db
    .selectFrom("user_badges")
    .select(["badge_id", "earned_at"])
    .where("user_id", "=", userId)
    .execute();
}
