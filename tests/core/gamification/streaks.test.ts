import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import { STREAK_REPAIR_PRICE } from "#core/gamification/gamification-rules.ts";
import { getProgress, getStreak } from "#core/gamification/progress.service.ts";
import { repairStreak } from "#core/gamification/streak-repair.ts";
import { computeStreak, repairOffer } from "#core/gamification/streak-rules.ts";
import { verifyLedger } from "#core/ledger/verify-ledger.ts";
import { getWalletSummary, listWalletEntries } from "#core/wallet/wallet.service.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";
import { act, clockedDeps, member } from "./gamification-support.ts";

const set = (...days: string[]) => new Set(days);

describe("streak rules", () => {
  // 2030-03-04 is a Monday.
  it("count active days up to today, and today never breaks a streak", () => {
    const run = computeStreak({
      activeDays: set("2030-03-04", "2030-03-05", "2030-03-06"),
      repairedDays: set(),
      today: "2030-03-07",
    });
    expect(run).toMatchObject({
      length: 3,
      startedOn: "2030-03-04",
      isTodayDone: false,
      frozenDays: [],
      freezesLeftThisWeek: 1,
    });
  });

  it("bridge the first missed day of a week with a freeze; a second one breaks the streak", () => {
    const bridged = computeStreak({
      activeDays: set("2030-03-04", "2030-03-05", "2030-03-07", "2030-03-08"),
      repairedDays: set(),
      today: "2030-03-08",
    });
    expect(bridged).toMatchObject({
      length: 4,
      frozenDays: ["2030-03-06"],
      freezesLeftThisWeek: 0,
    });

    const twoMissed = computeStreak({
      activeDays: set("2030-03-04", "2030-03-07", "2030-03-08"),
      repairedDays: set(),
      today: "2030-03-08",
    });
    // Tuesday takes the week's freeze, Wednesday breaks the streak anyway.
    expect(twoMissed).toMatchObject({
      length: 2,
      startedOn: "2030-03-07",
      frozenDays: [],
      freezesLeftThisWeek: 0,
      brokenOn: "2030-03-06",
    });

    // A new week brings a new freeze.
    const twoWeeks = computeStreak({
      activeDays: set("2030-03-08", "2030-03-10", "2030-03-12"),
      repairedDays: set(),
      today: "2030-03-12",
    });
    expect(twoWeeks).toMatchObject({ length: 3, frozenDays: ["2030-03-11", "2030-03-09"] });
  });

  it("offer a repair for one missed day, within 48 hours of its end", () => {
    const input = {
      activeDays: set("2030-03-04", "2030-03-05", "2030-03-08"),
      repairedDays: set(),
      today: "2030-03-08",
    };
    const run = computeStreak(input);
    // Wednesday is frozen, Thursday breaks the streak.
    expect(run).toMatchObject({ length: 1, brokenOn: "2030-03-07" });
    const offer = repairOffer(input, run, new Date("2030-03-08T12:00:00Z"), false);
    expect(offer).toMatchObject({ isAvailable: true, day: "2030-03-07", restoredLength: 3 });
    expect(offer.isAvailable && offer.deadline.toISOString()).toBe("2030-03-10T00:00:00.000Z");
    expect(repairOffer(input, run, new Date("2030-03-10T00:00:00Z"), false)).toMatchObject({
      isAvailable: false,
      reason: "too_late",
    });
    expect(repairOffer(input, run, new Date("2030-03-08T12:00:00Z"), true)).toMatchObject({
      isAvailable: false,
      reason: "used_this_month",
    });
    const repaired = computeStreak({ ...input, repairedDays: set("2030-03-07") });
    expect(repaired).toMatchObject({
      length: 3,
      repairedDays: ["2030-03-07"],
      frozenDays: ["2030-03-06"],
    });
    // Long after, an old break is simply history.
    expect(repairOffer(input, run, new Date("2030-03-20T00:00:00Z"), false)).toMatchObject({
      isAvailable: false,
      reason: "not_broken",
    });

    // Tuesday to Thursday missing: a freeze and a repair cover only two of the three.
    const longGap = { ...input, activeDays: set("2030-03-04", "2030-03-08") };
    expect(
      repairOffer(longGap, computeStreak(longGap), new Date("2030-03-08T12:00:00Z"), false),
    ).toMatchObject({ isAvailable: false, reason: "gap_too_long" });
  });
});

describe.each(testBackends())("streaks on %s", (backend) => {
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

  async function bonuses(userId: UserId) {
    const { rows } = await sql<{ memo: string; amount: string }>`
      select memo, amount::text from rewards
      where user_id = ${userId} and action_kind = 'streak.bonus' order by id`.execute(db);
    return rows.map((r) => r.memo);
  }

  it("counts UTC days, pays milestone bonuses once, freezes a missed day, and repairs a broken streak for a price, once a month", async () => {
    const clock = clockedDeps(db, new Date("2030-03-04T23:59:30Z"));
    const { deps } = clock;
    const user = await member(db, new Date("2029-01-01T00:00:00Z"));
    const checkIn = async (at: string) => {
      clock.set(at);
      return act(deps, user, "checkin.daily", at.slice(0, 10));
    };
    // A minute apart, but two UTC days.
    await checkIn("2030-03-04T23:59:30Z");
    await checkIn("2030-03-05T00:00:30Z");
    let progress = await getProgress(deps, user, clock.now);
    expect(progress.streak).toMatchObject({ length: 2, isTodayDone: true, nextMilestone: 3 });
    await checkIn("2030-03-06T08:00:00Z");
    progress = await getProgress(deps, user, clock.now);
    expect(progress.streak).toMatchObject({ length: 3, startedOn: "2030-03-04", nextMilestone: 7 });
    expect(await bonuses(user)).toEqual(["3-day streak bonus"]);
    await getProgress(deps, user, clock.now);
    expect(await bonuses(user)).toEqual(["3-day streak bonus"]);

    // Thursday missed: the week's freeze bridges it.
    await checkIn("2030-03-08T08:00:00Z");
    progress = await getProgress(deps, user, clock.now);
    expect(progress.streak).toMatchObject({
      length: 4,
      frozenDays: ["2030-03-07"],
      freezesLeftThisWeek: 0,
    });
    await checkIn("2030-03-09T08:00:00Z");
    await checkIn("2030-03-10T08:00:00Z");
    await checkIn("2030-03-11T08:00:00Z");
    progress = await getProgress(deps, user, clock.now);
    expect(progress.streak.length).toBe(7);
    expect(await bonuses(user)).toEqual(["3-day streak bonus", "7-day streak bonus"]);

    // Tuesday and Wednesday missed: Tuesday is frozen, Wednesday breaks the streak.
    clock.set("2030-03-14T10:00:00Z");
    const broken = await getStreak(deps, user, clock.now);
    expect(broken).toMatchObject({ length: 0, brokenOn: "2030-03-13" });
    expect(broken.repair).toMatchObject({
      isAvailable: true,
      day: "2030-03-13",
      restoredLength: 7,
      price: STREAK_REPAIR_PRICE,
    });
    const before = await getWalletSummary(db, user);
    const repaired = await repairStreak(deps, user, clock.now);
    if (!repaired.ok) throw new Error(repaired.error.message);
    expect(repaired.value.streak).toMatchObject({
      length: 7,
      startedOn: "2030-03-04",
      repairedDays: ["2030-03-13"],
      frozenDays: ["2030-03-12", "2030-03-07"],
    });
    expect((await getWalletSummary(db, user)).available).toBe(
      before.available - STREAK_REPAIR_PRICE,
    );
    const [latest] = await listWalletEntries(db, user, { limit: 1, after: null });
    expect(latest).toMatchObject({ kind: "streak_repair", amount: -STREAK_REPAIR_PRICE });
    // The repaired run keeps its first day: no milestone is paid twice.
    await checkIn("2030-03-14T11:00:00Z");
    progress = await getProgress(deps, user, clock.now);
    expect(progress.streak.length).toBe(8);
    expect(await bonuses(user)).toEqual(["3-day streak bonus", "7-day streak bonus"]);

    // Broken again in the same month: no second repair.
    await checkIn("2030-03-15T08:00:00Z");
    clock.set("2030-03-17T10:00:00Z");
    const again = await repairStreak(deps, user, clock.now);
    expect(again.ok ? null : again.error.code).toBe("used_this_month");
    // And 48 hours after the missed day it is too late anyway.
    await checkIn("2030-03-17T11:00:00Z");
    await checkIn("2030-03-18T08:00:00Z");
    clock.set("2030-03-19T00:00:00Z");
    const late = await repairStreak(deps, user, clock.now);
    expect(late.ok ? null : late.error.code).toBe("too_late");
    // Weeks after a break, it is history: nothing to repair.
    await checkIn("2030-04-02T08:00:00Z");
    const fine = await repairStreak(deps, user, clock.now);
    expect(fine.ok ? null : fine.error.code).toBe("not_broken");
  });

  it("a repair needs enough available balance; nothing is written without it", async () => {
    const clock = clockedDeps(db, new Date("2030-03-04T08:00:00Z"));
    const user = await member(db, new Date("2029-01-01T00:00:00Z"));
    // Likes given are held for a day: earned, but not yet spendable.
    for (const day of ["2030-03-04", "2030-03-05", "2030-03-07"]) {
      clock.set(`${day}T08:00:00Z`);
      await act(clock.deps, user, "like.given", day);
    }
    clock.set("2030-03-08T08:00:00Z");
    await act(clock.deps, user, "like.given", "2030-03-08");
    const streak = await getStreak(clock.deps, user, clock.now);
    expect(streak).toMatchObject({ length: 4, frozenDays: ["2030-03-06"] });

    // Saturday missed, and the week's freeze is spent: broken, and repairable.
    clock.set("2030-03-10T09:00:00Z");
    await act(clock.deps, user, "like.given", "2030-03-10");
    const broken = await getStreak(clock.deps, user, clock.now);
    expect(broken.repair).toMatchObject({ isAvailable: true, day: "2030-03-09" });
    const result = await repairStreak(clock.deps, user, clock.now);
    expect(result.ok ? null : result.error.code).toBe("insufficient_balance");
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from streak_repairs where user_id = ${user}`.execute(db);
    expect(rows[0]!.n).toBe(0);
  });
});
