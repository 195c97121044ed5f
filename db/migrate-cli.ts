import { loadConfig } from "#runtime/config.ts";
import { createDb, dbTargetFromConfig } from "./create-db.ts";
import { migrateToLatest } from "./migrate.ts";

// `npm run db:migrate`: the same migrations the app runs at start, for deploy pipelines.
const db = createDb(dbTargetFromConfig(loadConfig()));
try {
  const { applied } = await migrateToLatest(db);
  console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Already up to date.");
} finally {
  await db.destroy();
}
