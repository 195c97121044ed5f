import { createDb, type Db } from "#db/create-db.ts";
import { ensureBuiltInGames } from "#core/games/game-catalog.ts";
import { ensurePlatformDefaults } from "#core/rewards/platform-defaults.ts";
import { migrateToLatest } from "#db/migrate.ts";
import { createScratchDatabase } from "./scratch-database.ts";

export type Backend = "pglite" | "postgres";

/**
 * The databases every integration suite runs on: embedded PGlite always, and the
 * real Postgres at TEST_DATABASE_URL when it is set. CI sets it, so a CI run that
 * cannot reach Postgres fails loudly instead of quietly testing one engine.
 */
export function testBackends(): Backend[] {
  const url = process.env.TEST_DATABASE_URL;
  if (!url && process.env.CI) {
    throw new Error(
      "TEST_DATABASE_URL is not set, but CI must test on real Postgres too (see .ci/run).",
    );
  }
  return url ? ["pglite", "postgres"] : ["pglite"];
}

export type TestDb = {
  db: Db;
  backend: Backend;
  /** The throwaway database's URL on Postgres, for a child process to open; null on PGlite. */
  url: string | null;
  close: () => Promise<void>;
};

/** A fresh, migrated database with the platform defaults: in-memory PGlite, or a throwaway database on Postgres. */
export async function openTestDb(backend: Backend, options: { poolSize?: number } = {}) {
  if (backend === "pglite") {
    const db = createDb({ kind: "pglite", dataDir: null });
    await migrateToLatest(db);
    await ensurePlatformDefaults(db);
    await ensureBuiltInGames(db);
    return { db, backend, url: null, close: () => db.destroy() } satisfies TestDb;
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error("TEST_DATABASE_URL is required for the postgres backend");
  const scratch = await createScratchDatabase(adminUrl, "tributary_test");
  const db = createDb({ kind: "postgres", url: scratch.url, poolSize: options.poolSize ?? 10 });
  await migrateToLatest(db);
  await ensurePlatformDefaults(db);
  await ensureBuiltInGames(db);
  return {
    db,
    backend,
    url: scratch.url,
    close: async () => {
      await db.destroy();
      await scratch.drop();
    },
  } satisfies TestDb;
}
