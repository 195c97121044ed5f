import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn } from "#core/auth/account.service.ts";
import { demoSocialUsers } from "#core/demo/demo-social.ts";
import { DEMO_PASSWORD, demoUsers } from "#core/demo/demo-users.ts";
import { seedDemoData } from "#core/demo/seed-demo-data.ts";
import { listGames } from "#core/games/game-directory.ts";
import { getLeaderboard } from "#core/games/leaderboards.ts";
import { RewardEngine } from "#core/rewards/reward-engine.ts";
import { testPolicy } from "#tests/support/factories.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";

describe.each(testBackends())("demo data on %s", (backend) => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await openTestDb(backend);
  });
  afterAll(() => testDb.close());

  it("seeds once, even when several instances start at the same time", async () => {
    const rewards = new RewardEngine(testDb.db);
    const runs = await Promise.all([
      seedDemoData(testDb.db, rewards),
      seedDemoData(testDb.db, rewards),
      seedDemoData(testDb.db, rewards),
    ]);
    expect(runs.flat().sort()).toEqual([
      "auth:demo-users",
      "games:demo-runs",
      "rewards:demo-rewards",
      "social:demo-social",
      "wallet-link:demo-wallets",
    ]);
    expect(await seedDemoData(testDb.db, rewards)).toEqual([]);
    const welcome = await testDb.db
      .selectFrom("rewards")
      .select("status")
      .where("action_kind", "=", "account.welcome")
      .execute();
    expect(welcome.map((r) => r.status)).toEqual(demoUsers.map(() => "available"));
    const users = await testDb.db.selectFrom("users").select("handle").orderBy("handle").execute();
    expect(users.map((u) => u.handle)).toEqual(
      [...demoUsers, ...demoSocialUsers].map((u) => u.handle).sort(),
    );
    // The social demo ran once: its posts are not doubled by the racing instances.
    const posts = await testDb.db.selectFrom("posts").select("body").execute();
    expect(new Set(posts.map((p) => p.body)).size).toBe(posts.length);
    expect(posts.length).toBeGreaterThan(10);
    const links = await testDb.db
      .selectFrom("wallet_links as l")
      .innerJoin("users as u", "u.id", "l.user_id")
      .select("u.handle")
      .where("l.unlinked_at", "is", null)
      .orderBy("u.handle")
      .execute();
    // Two demo users start with a linked wallet so the first settlement pays someone.
    expect(links.map((l) => l.handle)).toEqual(["grace", "kofi"]);

    // Every game has players on its boards, from runs the server issued and verified
    // (played once, not once per racing instance), and their achievements were paid.
    const gameRuns = await testDb.db.selectFrom("game_runs").select("status").execute();
    expect(gameRuns.map((r) => r.status)).toEqual(Array(9).fill("verified"));
    for (const game of await listGames(testDb.db)) {
      const board = await getLeaderboard(testDb.db, game.id, "week", null);
      expect(board.entries.length, game.id).toBeGreaterThanOrEqual(3);
    }
    const paid = await testDb.db
      .selectFrom("rewards")
      .select("status")
      .where("action_kind", "=", "game.achievement")
      .execute();
    expect(paid.length).toBeGreaterThanOrEqual(9);
    expect(paid.every((r) => r.status === "held")).toBe(true);
  });

  it("demo users can sign in with the documented password", async () => {
    const result = await signIn(
      testDb.db,
      testPolicy,
      { email: demoUsers[0].email, password: DEMO_PASSWORD },
      { ip: null, userAgent: null },
    );
    expect(result.ok && result.value.user.handle).toBe(demoUsers[0].handle);
  });
});
