import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import { verifyLedger } from "#core/ledger/verify-ledger.ts";
import { follow, unfollow } from "#core/social/follows.ts";
import type { SocialServices } from "#core/social/social-services.ts";
import type { Db } from "#db/create-db.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";
import { count, socialServices } from "./social-support.ts";

/**
 * Many people following one account at once. Only a real server runs these transactions
 * side by side (PGlite has one connection and serialises them), so the suite runs on
 * Postgres only; CI sets TEST_DATABASE_URL.
 */
const onPostgres = testBackends().includes("postgres");
const title = onPostgres
  ? "concurrent follows on Postgres"
  : "concurrent follows on Postgres — skipped: TEST_DATABASE_URL is not set (CI sets it)";

describe.skipIf(!onPostgres)(title, () => {
  let testDb: TestDb;
  let db: Db;
  let deps: SocialServices;
  beforeAll(async () => {
    testDb = await openTestDb("postgres", { poolSize: 20 });
    db = testDb.db;
    deps = socialServices(db);
  });
  afterAll(async () => {
    expect((await verifyLedger(db)).violations).toEqual([]);
    await testDb?.close();
  });

  /** Accounts past the new-account review, written directly (signing up 50 would hash 50 passwords). */
  async function people(n: number): Promise<UserId[]> {
    const rows = Array.from({ length: n }, () => {
      const suffix = randomBytes(6).toString("hex");
      return {
        handle: `f_${suffix}`,
        email: `f_${suffix}@example.com`,
        display_name: `Fan ${suffix}`,
        password_hash: "not-a-password-hash",
        created_at: new Date(Date.now() - 30 * 86_400_000),
      };
    });
    const inserted = await db.insertInto("users").values(rows).returning("id").execute();
    return inserted.map((r) => r.id as UserId);
  }

  async function counters(id: UserId) {
    const row = await db
      .selectFrom("users")
      .select(["follower_count", "following_count"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    return { followers: row.follower_count, following: row.following_count };
  }

  it("50 people following one account at once: every follow lands and the counters are exact", async () => {
    const [star] = await people(1);
    const fans = await people(50);
    const results = await Promise.allSettled(fans.map((fan) => follow(deps, fan, star!)));
    const failures = results.flatMap((r) =>
      r.status === "rejected"
        ? [String(r.reason)]
        : r.value.ok
          ? []
          : [`${r.value.error.code}: ${r.value.error.message}`],
    );
    expect(failures).toEqual([]);
    expect(await count(db, "follows", sql`followee_id = ${star!}`)).toBe(50);
    expect(await counters(star!)).toEqual({ followers: 50, following: 0 });
    for (const fan of fans) expect(await counters(fan)).toEqual({ followers: 0, following: 1 });
    // Each new follower pays the followee once (held while it can be undone).
    expect(
      await count(db, "rewards", sql`user_id = ${star!} and action_kind = 'follow.received'`),
    ).toBe(50);
  });

  it("people following and unfollowing each other all at once: no deadlock, counters match the follows", async () => {
    const crowd = await people(8);
    const pairs = crowd.flatMap((a) => crowd.filter((b) => b !== a).map((b) => [a, b] as const));
    const followed = await Promise.allSettled(pairs.map(([a, b]) => follow(deps, a, b)));
    expect(followed.filter((r) => r.status === "rejected" || !r.value.ok)).toEqual([]);
    // Half of them change their mind while the other half follow again (a no-op).
    const churn = await Promise.allSettled(
      pairs.map(([a, b], i) => (i % 2 === 0 ? unfollow(deps, a, b) : follow(deps, a, b))),
    );
    expect(churn.filter((r) => r.status === "rejected" || !r.value.ok)).toEqual([]);
    for (const id of crowd) {
      const stored = await counters(id);
      expect(stored).toEqual({
        followers: await count(db, "follows", sql`followee_id = ${id}`),
        following: await count(db, "follows", sql`follower_id = ${id}`),
      });
    }
    expect(await count(db, "follows", sql`follower_id = any(${crowd}::uuid[])`)).toBe(
      pairs.length / 2,
    );
  });
});
