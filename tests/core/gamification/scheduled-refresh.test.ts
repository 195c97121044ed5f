import { sql } from "kysely";
import { pino } from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import { loadConfig } from "#runtime/config.ts";
import { REFRESH_STEP, refreshActiveUsersOnce } from "#core/gamification/scheduled-refresh.ts";
import { verifyLedger } from "#core/ledger/verify-ledger.ts";
import { startScheduler } from "#server/scheduler.ts";
import { createServices } from "#server/composition-root.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";
import { act, clockedDeps, member } from "./gamification-support.ts";

const DAY_MS = 86_400_000;

describe.each(testBackends())("the scheduled gamification refresh on %s", (backend) => {
  let testDb: TestDb;
  let db: TestDb["db"];
  beforeAll(async () => {
    testDb = await openTestDb(backend, { poolSize: 10 });
    db = testDb.db;
  });
  afterAll(async () => {
    expect((await verifyLedger(db)).violations).toEqual([]);
    await testDb.close();
  });
  // Each test starts with a step no instance has run yet.
  beforeEach(async () => {
    await sql`delete from scheduled_steps`.execute(db);
  });

  async function paid(userId: UserId) {
    const { rows } = await sql<{ memo: string }>`
      select memo from rewards
      where user_id = ${userId} and action_kind in ('streak.bonus', 'quest.reward')
      order by memo`.execute(db);
    return rows.map((r) => r.memo);
  }

  /** Three days of check-ins and three comments in the week of 2031-05-19 (its quests include "Comment 3 times"). */
  async function activeWeek(clock: ReturnType<typeof clockedDeps>, userId: UserId) {
    for (const day of ["2031-05-19", "2031-05-20", "2031-05-21"]) {
      clock.set(`${day}T09:00:00Z`);
      await act(clock.deps, userId, "checkin.daily", day);
    }
    for (let i = 0; i < 3; i++) await act(clock.deps, userId, "comment.created", `c${i}`);
  }

  const dueRewards = ["3-day streak bonus", "Weekly quest done: Comment 3 times"];

  it("pays the streak bonus and quest reward of someone who never opened the hub", async () => {
    const clock = clockedDeps(db, new Date("2031-05-19T09:00:00Z"));
    const user = await member(db, new Date("2031-01-01T00:00:00Z"));
    await activeWeek(clock, user);
    expect(await paid(user)).toEqual([]);

    const run = await refreshActiveUsersOnce(clock.deps, { minIntervalMs: 0, now: clock.now });
    expect(run.kind === "ran" && run.value).toBeGreaterThanOrEqual(1);
    expect(await paid(user)).toEqual(dueRewards);

    // The next run finds them active still, and pays nothing more.
    expect(
      (await refreshActiveUsersOnce(clock.deps, { minIntervalMs: 0, now: clock.now })).kind,
    ).toBe("ran");
    expect(await paid(user)).toEqual(dueRewards);
  });

  it("two instances running it at once: one runs, the other skips, and everything is paid once", async () => {
    // Two instances: each its own reward engine, on one database.
    const first = clockedDeps(db, new Date("2031-05-19T09:00:00Z"));
    const second = clockedDeps(db, new Date("2031-05-21T09:00:00Z"));
    const user = await member(db, new Date("2031-01-01T00:00:00Z"));
    await activeWeek(first, user);
    const options = { minIntervalMs: 60_000, now: first.now };
    const runs = await Promise.all([
      refreshActiveUsersOnce(first.deps, options),
      refreshActiveUsersOnce(second.deps, options),
    ]);
    expect(runs.map((r) => r.kind).sort()).toEqual(["ran", "skipped"]);
    expect(await paid(user)).toEqual(dueRewards);
    // Within the interval nobody runs it again.
    expect((await refreshActiveUsersOnce(second.deps, options)).kind).toBe("skipped");
  });

  it("a run left by a crashed instance is taken over when its lease runs out", async () => {
    const clock = clockedDeps(db, new Date("2031-05-19T09:00:00Z"));
    const user = await member(db, new Date("2031-01-01T00:00:00Z"));
    await activeWeek(clock, user);
    const options = { minIntervalMs: 0, now: clock.now };
    await sql`
      insert into scheduled_steps (name, running_until, claim, last_started_at)
      values (${REFRESH_STEP}, now() + interval '5 minutes', 'crashed', now() - interval '1 minute')`.execute(
      db,
    );
    expect((await refreshActiveUsersOnce(clock.deps, options)).kind).toBe("skipped");
    expect(await paid(user)).toEqual([]);

    await sql`
      update scheduled_steps set running_until = now() - interval '1 second'
      where name = ${REFRESH_STEP}`.execute(db);
    expect((await refreshActiveUsersOnce(clock.deps, options)).kind).toBe("ran");
    expect(await paid(user)).toEqual(dueRewards);
    const { rows } = await sql<{ running_until: Date | null; finished: boolean }>`
      select running_until, last_finished_at is not null as finished
      from scheduled_steps where name = ${REFRESH_STEP}`.execute(db);
    expect(rows).toEqual([{ running_until: null, finished: true }]);
  });

  it("the app's scheduler runs the step by itself", async () => {
    // Check-ins on the last three UTC days, by the real clock the scheduler uses.
    const now = Date.now();
    const clock = clockedDeps(db, new Date(now - 2 * DAY_MS));
    const user = await member(db, new Date(now - 30 * DAY_MS));
    for (const daysAgo of [2, 1, 0]) {
      clock.set(new Date(now - daysAgo * DAY_MS));
      await act(clock.deps, user, "checkin.daily", `real-${daysAgo}`);
    }
    const config = loadConfig({
      GAMIFICATION_REFRESH_INTERVAL_SECONDS: "1",
      CHAIN: "off",
      SEED_DEMO_DATA: "false",
    });
    const services = createServices(config, db, pino({ level: "silent" }));
    const stop = startScheduler(services);
    try {
      const deadline = Date.now() + 15_000;
      while (!(await paid(user)).includes("3-day streak bonus") && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await paid(user)).toContain("3-day streak bonus");
    } finally {
      stop();
      await services.close({ keepDatabaseOpen: true });
    }
  });
});
