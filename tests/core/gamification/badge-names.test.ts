import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import { listBadges, listEarnedBadges } from "#core/gamification/badges.ts";
import { ensureBuiltInGames } from "#core/games/game-catalog.ts";
import type { Db } from "#db/create-db.ts";
import { insertUsers } from "#tests/core/ledger/ledger-helpers.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";

describe.each(testBackends())("game badges say which game on %s", (backend) => {
  let testDb: TestDb;
  let db: Db;
  beforeAll(async () => {
    testDb = await openTestDb(backend);
    db = testDb.db;
    await ensureBuiltInGames(db);
  });
  afterAll(() => testDb.close());

  it("every game's First finish badge names its game, in the title and the description", async () => {
    const firsts = (await listBadges(db, null)).filter((b) => b.id.endsWith(":first-finish"));
    expect(firsts.map((b) => [b.title, b.gameTitle]).sort()).toEqual([
      ["First finish — Rapids Rhythm", "Rapids Rhythm"],
      ["First finish — River Run", "River Run"],
      ["First finish — Tide Tiles", "Tide Tiles"],
    ]);
    for (const badge of firsts) {
      expect(badge.description).toBe(`${badge.gameTitle}: Finish your first run.`);
    }
  });

  it("no two badges in the catalogue share a title", async () => {
    const titles = (await listBadges(db, null)).map((b) => b.title);
    expect(new Set(titles).size).toBe(titles.length);
  });

  it("a player who finished three games holds three badges told apart by their game", async () => {
    const [user] = (await insertUsers(db, 1)) as [UserId];
    await db
      .insertInto("user_achievements")
      .values(
        ["river-run", "tide-tiles", "rapids-rhythm"].map((game, i) => ({
          user_id: user,
          achievement_id: `${game}:first-finish`,
          earned_at: new Date(Date.UTC(2026, 11, 7, 10, i)),
        })),
      )
      .execute();
    const earned = await listEarnedBadges(db, user);
    expect(earned.map((b) => b.title)).toEqual([
      "First finish — Rapids Rhythm",
      "First finish — Tide Tiles",
      "First finish — River Run",
    ]);
  });
});
