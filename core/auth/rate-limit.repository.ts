import { sql } from "kysely";
import type { Db } from "#db/create-db.ts";

/**
 * Counts one attempt against `key` in a fixed window, atomically across app
 * instances (one upsert), and returns the count so far and when the window ends.
 */
export async function countAttempt(
  db: Db,
  key: string,
  windowMs: number,
): Promise<{ attempts: number; windowEndsAt: Date }> {
  const window = sql`make_interval(secs => ${windowMs / 1000})`;
  const row = await db
    .insertInto("rate_limit_buckets")
    .values({ key, attempts: 1, window_started_at: sql<Date>`now()` })
    .onConflict((oc) =>
      oc.column("key").doUpdateSet({
        attempts: sql<number>`case when rate_limit_buckets.window_started_at <= now() - ${window}
          then 1 else rate_limit_buckets.attempts + 1 end`,
        window_started_at: sql<Date>`case when rate_limit_buckets.window_started_at <= now() - ${window}
          then now() else rate_limit_buckets.window_started_at end`,
      }),
    )
    .returning(["attempts", sql<Date>`window_started_at + ${window}`.as("window_ends_at")])
    .executeTakeFirstOrThrow();
  return { attempts: row.attempts, windowEndsAt: new Date(row.window_ends_at) };
}

export async function clearAttempts(db: Db, key: string): Promise<void> {
  await db.deleteFrom("rate_limit_buckets").where("key", "=", key).execute();
}
