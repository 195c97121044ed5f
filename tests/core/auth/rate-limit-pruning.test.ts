import { sql } from "kysely";
import { pino } from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  pruneRateLimitBuckets,
  RATE_LIMIT_PRUNE_STEP,
  rateLimitRetentionMs,
  runRateLimitPruningStep,
} from "#core/auth/rate-limit-pruning.ts";
import { countAttempt, countStreak } from "#core/auth/rate-limit.repository.ts";
import { checkSignInThrottle, recordSignInFailure } from "#core/auth/sign-in-throttle.ts";
import { countSignUp } from "#core/auth/sign-up-limits.ts";
import { loadConfig } from "#runtime/config.ts";
import { createServices } from "#server/composition-root.ts";
import { startScheduler } from "#server/scheduler.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const signInLimits = { perAccount: 2, perIp: 3, windowMs: 15 * MINUTE_MS };

describe.each(testBackends())("pruning rate-limit buckets on %s", (backend) => {
  let testDb: TestDb;
  let db: TestDb["db"];
  beforeAll(async () => {
    testDb = await openTestDb(backend);
    db = testDb.db;
  });
  afterAll(() => testDb.close());
  beforeEach(async () => {
    await sql`delete from rate_limit_buckets`.execute(db);
    await sql`delete from scheduled_steps`.execute(db);
  });

  async function keys(): Promise<string[]> {
    const rows = await db.selectFrom("rate_limit_buckets").select("key").orderBy("key").execute();
    return rows.map((r) => r.key);
  }

  it("keeps buckets for longer than the longest window any limiter uses", () => {
    // Sign-up per browser and the owner's "someone tried to sign up" notice count per day.
    expect(rateLimitRetentionMs(signInLimits)).toBeGreaterThanOrEqual(DAY_MS);
    // A sign-in window configured longer than a day moves the horizon with it.
    expect(rateLimitRetentionMs({ ...signInLimits, windowMs: 3 * DAY_MS })).toBeGreaterThan(
      3 * DAY_MS,
    );
  });

  it("deletes buckets whose window ended long ago and keeps every live one", async () => {
    const now = new Date("2031-03-10T12:00:00Z");
    const ago = (ms: number) => new Date(now.getTime() - ms);
    await countAttempt(db, "stale:sign-up:ip:203.0.113.1", HOUR_MS, ago(5 * DAY_MS));
    await countStreak(
      db,
      "stale:sign-in:pair:a@example.com|203.0.113.1",
      15 * MINUTE_MS,
      ago(3 * DAY_MS),
    );
    // Live: a per-day bucket started 23 hours ago still refuses until its day is over.
    await countAttempt(db, "live:sign-up:device:d1", DAY_MS, ago(23 * HOUR_MS));
    await countAttempt(db, "live:sign-in:address:203.0.113.2", 15 * MINUTE_MS, ago(MINUTE_MS));

    const deleted = await pruneRateLimitBuckets(db, { signInLimits, now });
    expect(deleted).toBe(2);
    expect(await keys()).toEqual(["live:sign-in:address:203.0.113.2", "live:sign-up:device:d1"]);
  });

  it("deletes in bounded batches, so one run never holds many rows", async () => {
    const now = new Date("2031-03-10T12:00:00Z");
    const old = new Date(now.getTime() - 10 * DAY_MS);
    for (let i = 0; i < 25; i++) await countAttempt(db, `stale:${i}`, HOUR_MS, old);
    const deleted = await pruneRateLimitBuckets(db, {
      signInLimits,
      now,
      batchSize: 10,
      maxBatches: 2,
    });
    expect(deleted).toBe(20);
    expect((await keys()).length).toBe(5);
    expect(await pruneRateLimitBuckets(db, { signInLimits, now, batchSize: 10 })).toBe(5);
    expect(await keys()).toEqual([]);
  });

  it("leaves sign-up and sign-in limits holding after a prune", async () => {
    const now = new Date();
    const limits = { perIpPerHour: 2, perNetworkPerHour: 100, perDevicePerDay: 100 };
    const client = { ip: "198.51.100.7" };
    expect(await countSignUp(db, limits, client, now)).toBeNull();
    expect(await countSignUp(db, limits, client, now)).toBeNull();
    for (let i = 0; i < 3; i++) {
      await recordSignInFailure(db, signInLimits, "victim@example.com", "198.51.100.8", now);
    }
    await countAttempt(db, "stale:long-gone", HOUR_MS, new Date(now.getTime() - 7 * DAY_MS));

    expect(await pruneRateLimitBuckets(db, { signInLimits, now })).toBe(1);

    expect(await countSignUp(db, limits, client, now)).toMatchObject({ kind: "rate-limited" });
    expect(
      await checkSignInThrottle(db, signInLimits, "victim@example.com", "198.51.100.8", now),
    ).toMatchObject({ kind: "rate-limited" });
  });

  it("runs as a scheduled step at most once per interval across instances", async () => {
    const old = new Date(Date.now() - 10 * DAY_MS);
    await countAttempt(db, "stale:first", HOUR_MS, old);
    const first = await runRateLimitPruningStep(db, {
      signInLimits,
      minIntervalMs: 10 * MINUTE_MS,
    });
    expect(first).toEqual({ kind: "ran", value: 1 });
    await countAttempt(db, "stale:second", HOUR_MS, old);
    const second = await runRateLimitPruningStep(db, {
      signInLimits,
      minIntervalMs: 10 * MINUTE_MS,
    });
    expect(second).toEqual({ kind: "skipped" });
    expect(await keys()).toEqual(["stale:second"]);
  });

  it("the app's scheduler prunes by itself", async () => {
    await countAttempt(db, "stale:scheduler", HOUR_MS, new Date(Date.now() - 10 * DAY_MS));
    await countAttempt(db, "live:scheduler", HOUR_MS, new Date());
    // Ticking every second: the scheduler's other loop may hold the steps' claim lock for a
    // moment, and a claimer that finds it taken skips to its next tick rather than queue.
    const config = loadConfig({
      CHAIN: "off",
      SEED_DEMO_DATA: "false",
      REWARD_RELEASE_INTERVAL_SECONDS: "1",
    });
    const services = createServices(config, db, pino({ level: "silent" }));
    const stop = startScheduler(services);
    try {
      const deadline = Date.now() + 15_000;
      while ((await keys()).includes("stale:scheduler") && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await keys()).toEqual(["live:scheduler"]);
      const { rows } = await sql<{ name: string }>`
        select name from scheduled_steps where name = ${RATE_LIMIT_PRUNE_STEP}`.execute(db);
      expect(rows).toHaveLength(1);
    } finally {
      stop();
      await services.close({ keepDatabaseOpen: true });
    }
  });
});
