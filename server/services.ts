import type { Logger } from "pino";
import type { Config } from "#core/config/config.ts";
import { seedDemoData } from "#core/demo/seed-demo-data.ts";
import { createDb, dbTargetFromConfig, type Db } from "#db/create-db.ts";
import { migrateToLatest } from "#db/migrate.ts";

/** The long-lived things one app process owns; handed to every request. */
export type AppServices = { config: Config; db: Db; logger: Logger };

/** Opens the database, migrates it and seeds demo data once. */
export async function openServices(config: Config, logger: Logger): Promise<AppServices> {
  const target = dbTargetFromConfig(config);
  logger.info(
    { database: target.kind === "postgres" ? "postgres" : `pglite at ${target.dataDir}` },
    "opening database",
  );
  const db = createDb(target);
  const { applied } = await migrateToLatest(db);
  if (applied.length > 0) logger.info({ applied }, "applied migrations");
  if (config.seedDemoData) await seedDemoData(db, logger);
  return { config, db, logger };
}

export async function closeServices(services: AppServices): Promise<void> {
  await services.db.destroy();
}
