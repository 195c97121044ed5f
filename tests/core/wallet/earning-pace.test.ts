import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import { RewardEngine } from "#core/rewards/reward-engine.ts";
import { reverseReward } from "#core/rewards/reward.service.ts";
import { rewardKey } from "#core/rewards/reward-types.ts";
import { getEarningPace } from "#core/wallet/earning-pace.ts";
import { parseMicro } from "#shared/money.ts";
import { createUser } from "#tests/support/factories.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";

const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date("2026-12-07T15:30:00Z");
const START_OF_TODAY = new Date("2026-12-07T00:00:00Z");
const START_OF_WINDOW = new Date("2026-12-01T00:00:00Z");

let causes = 0;

describe.each(testBackends())("earning pace (%s)", (backend) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(backend);
  });
  afterAll(() => t.close());

  /** A user whose account is older than the window, so no reward falls before it existed. */
  async function newEarner(): Promise<UserId> {
    const { user } = await createUser(t.db);
    await t.db
      .updateTable("users")
      .set({ created_at: new Date(START_OF_WINDOW.getTime() - 30 * DAY) })
      .where("id", "=", user.id)
      .execute();
    return user.id;
  }

  /** Pays `actionKind` to the user on the engine's clock set to `at`; returns the reward's key. */
  async function earn(userId: UserId, actionKind: string, at: Date): Promise<string> {
    const causeId = `pace-test:${++causes}`;
    const result = await new RewardEngine(t.db, { now: () => at }).reward({
      actionKind,
      userId,
      causeId,
      targetKey: causeId,
      memo: `test ${actionKind}`,
    });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.status, `${actionKind} at ${at.toISOString()}`).not.toBe("refused");
    return rewardKey(actionKind, causeId);
  }

  it("counts today's earnings in each stream, every stream listed in order", async () => {
    const userId = await newEarner();
    await earn(userId, "post.created", new Date(START_OF_TODAY.getTime() + 60_000));
    await earn(userId, "comment.created", NOW);
    await earn(userId, "game.achievement", NOW);
    await earn(userId, "checkin.daily", NOW);
    await earn(userId, "account.welcome", NOW);

    const pace = await getEarningPace(t.db, userId, NOW);
    expect(pace.byStream).toEqual([
      { stream: "social", today: parseMicro("0.007"), thisWeek: parseMicro("0.007") },
      { stream: "games", today: parseMicro("0.05"), thisWeek: parseMicro("0.05") },
      { stream: "daily", today: parseMicro("0.01"), thisWeek: parseMicro("0.01") },
      { stream: "bonus", today: parseMicro("1"), thisWeek: parseMicro("1") },
    ]);
    expect(pace.today).toBe(parseMicro("1.067"));
    expect(pace.thisWeek).toBe(parseMicro("1.067"));
    expect(pace.asOf).toEqual(NOW);
  });

  it("lists zeros for a user who earned nothing, seven days oldest first", async () => {
    const pace = await getEarningPace(t.db, await newEarner(), NOW);
    expect(pace.today).toBe(0n);
    expect(pace.thisWeek).toBe(0n);
    expect(pace.yearAtPace).toBe(0n);
    expect(pace.byStream.map((s) => [s.stream, s.today, s.thisWeek])).toEqual([
      ["social", 0n, 0n],
      ["games", 0n, 0n],
      ["daily", 0n, 0n],
      ["bonus", 0n, 0n],
    ]);
    expect(pace.daily).toEqual(
      ["01", "02", "03", "04", "05", "06", "07"].map((d) => ({ day: `2026-12-${d}`, amount: 0n })),
    );
  });

  it("takes the week as the seven UTC days up to today, edges included, and nothing outside", async () => {
    const userId = await newEarner();
    const post = parseMicro("0.005");
    await earn(userId, "post.created", new Date(START_OF_WINDOW.getTime() - 1)); // Nov 30, out
    await earn(userId, "post.created", START_OF_WINDOW); // first instant of Dec 1, in
    await earn(userId, "post.created", new Date(START_OF_TODAY.getTime() - 1)); // Dec 6, in
    await earn(userId, "post.created", START_OF_TODAY); // today
    await earn(userId, "post.created", new Date(START_OF_TODAY.getTime() + DAY - 1)); // today

    const pace = await getEarningPace(t.db, userId, NOW);
    expect(pace.today).toBe(2n * post);
    expect(pace.thisWeek).toBe(4n * post);
    expect(pace.daily.map((d) => [d.day, d.amount])).toEqual([
      ["2026-12-01", post],
      ["2026-12-02", 0n],
      ["2026-12-03", 0n],
      ["2026-12-04", 0n],
      ["2026-12-05", 0n],
      ["2026-12-06", post],
      ["2026-12-07", 2n * post],
    ]);
    // A day later, Dec 1 has left the window.
    const tomorrow = await getEarningPace(t.db, userId, new Date(NOW.getTime() + DAY));
    expect(tomorrow.thisWeek).toBe(3n * post);
    expect(tomorrow.today).toBe(0n);
  });

  it("leaves out a reversed reward and counts a held one", async () => {
    const userId = await newEarner();
    const kept = await earn(userId, "comment.created", NOW);
    const undone = await earn(userId, "comment.created", NOW);
    expect((await reverseReward(t.db, undone)).ok).toBe(true);
    const held = await t.db
      .selectFrom("rewards")
      .select("status")
      .where("idempotency_key", "=", kept)
      .executeTakeFirstOrThrow();
    expect(held.status).toBe("held");

    const pace = await getEarningPace(t.db, userId, NOW);
    expect(pace.today).toBe(parseMicro("0.002"));
    expect(pace.byStream[0]).toEqual({
      stream: "social",
      today: parseMicro("0.002"),
      thisWeek: parseMicro("0.002"),
    });
  });

  it("projects a year from the recurring streams only, rounded down to the base unit", async () => {
    const userId = await newEarner();
    await earn(userId, "account.welcome", NOW); // 1 MICRO bonus: not a pace
    await earn(userId, "checkin.daily", new Date(NOW.getTime() - 3 * DAY)); // 0.01
    await earn(userId, "like.given", NOW); // 0.0002

    const pace = await getEarningPace(t.db, userId, NOW);
    const recurring = parseMicro("0.0102");
    expect(pace.thisWeek).toBe(recurring + parseMicro("1"));
    // 0.0102 × 365 / 7 = 0.531857142857142857142…: cut to 18 decimals, never rounded up.
    expect(pace.yearAtPace).toBe(531857142857142857n);
    expect(pace.yearAtPace).toBe((recurring * 365n) / 7n);
  });

  it("counts only the user's own rewards", async () => {
    const mine = await newEarner();
    const theirs = await newEarner();
    await earn(theirs, "game.achievement", NOW);
    await earn(mine, "post.created", NOW);
    expect((await getEarningPace(t.db, mine, NOW)).today).toBe(parseMicro("0.005"));
  });
});
