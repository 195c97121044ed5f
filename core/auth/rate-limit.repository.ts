import { sql } from "kysely";
import type { Db } from "#db/create-db.ts";

export type Bucket = { attempts: number; windowStartedAt: Date; windowEndsAt: Date };

function secondsInterval(ms: number) {
  return sql`make_interval(secs => ${ms / 1000})`;
}

/**
 * Counts one attempt against `key` in a fixed window, atomically across app
 * instances (one upsert), and returns the count so far and when the window ends.
 */
export async function countAttempt(
  db: Db,
  key: string,
  windowMs: number,
  now?: Date,
): Promise<{ attempts: number; windowEndsAt: Date }> {
  const at = now ? sql<Date>`${now}::timestamptz` : sql<Date>`now()`;
  const window = secondsInterval(windowMs);
  const row = await db
    .insertInto("rate_limit_buckets")
    .values({ key, attempts: 1, window_started_at: at })
    .onConflict((oc) =>
      oc.column("key").doUpdateSet({
        attempts: sql<number>`case when rate_limit_buckets.window_started_at <= ${at} - ${window}
          then 1 else rate_limit_buckets.attempts + 1 end`,
        window_started_at: sql<Date>`case when rate_limit_buckets.window_started_at <= ${at} - ${window}
          then ${at} else rate_limit_buckets.window_started_at end`,
      }),
    )
    .returning(["attempts", sql<Date>`window_started_at + ${window}`.as("window_ends_at")])
    .executeTakeFirstOrThrow();
  return { attempts: row.attempts, windowEndsAt: new Date(row.window_ends_at) };
}

/**
 * Counts one attempt in a streak that lasts while attempts come less than `quietMs`
 * apart: `window_started_at` holds the latest attempt, and a quiet gap starts over at 1.
 */
export async function countStreak(
  db: Db,
  key: string,
  quietMs: number,
  now: Date,
): Promise<{ attempts: number; lastAt: Date }> {
  const at = sql<Date>`${now}::timestamptz`;
  const quiet = secondsInterval(quietMs);
  const row = await db
    .insertInto("rate_limit_buckets")
    .values({ key, attempts: 1, window_started_at: now })
    .onConflict((oc) =>
      oc.column("key").doUpdateSet({
        attempts: sql<number>`case when rate_limit_buckets.window_started_at <= ${at} - ${quiet}
          then 1 else rate_limit_buckets.attempts + 1 end`,
        window_started_at: sql<Date>`greatest(rate_limit_buckets.window_started_at, ${at})`,
      }),
    )
    .returning(["attempts", "window_started_at"])
    .executeTakeFirstOrThrow();
  return { attempts: row.attempts, lastAt: new Date(row.window_started_at) };
}

/** The bucket under `key` as it stands, without counting; null when empty or its window is over. */
export async function peekBucket(
  db: Db,
  key: string,
  windowMs: number,
  now: Date,
): Promise<Bucket | null> {
  const row = await db
    .selectFrom("rate_limit_buckets")
    .select(["attempts", "window_started_at"])
    .where("key", "=", key)
    .executeTakeFirst();
  if (!row) return null;
  const windowStartedAt = new Date(row.window_started_at);
  const windowEndsAt = new Date(windowStartedAt.getTime() + windowMs);
  if (windowEndsAt.getTime() <= now.getTime()) return null;
  return { attempts: row.attempts, windowStartedAt, windowEndsAt };
}

export async function clearAttempts(db: Db, key: string): Promise<void> {
  await db.deleteFrom("rate_limit_buckets").where("key", "=", key).execute();
}

/**
 * Deletes at most `limit` buckets whose window started before `cutoff`, in one short
 * statement. Rows another transaction is counting on right now are skipped (and kept):
 * that count is live, and the next prune looks again.
 */
export async function deleteBucketsStartedBefore(
  db: Db,
  cutoff: Date,
  limit: number,
): Promise<number> {
  const result = await sql`
    delete from rate_limit_buckets
    where key in (
      select key from rate_limit_buckets
      where window_started_at < ${cutoff}::timestamptz
      limit ${limit}
      for update skip locked)
    and window_started_at < ${cutoff}::timestamptz`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
