import type { Logger } from "pino";
import type { Db } from "#db/create-db.ts";
import { seedDemoUsers } from "./demo-users.ts";

type SeedStep = { name: string; run: (db: Db) => Promise<void> };

/** Each capability appends its own step; a step runs once per database, ever. */
const seedSteps: SeedStep[] = [{ name: "auth:demo-users", run: seedDemoUsers }];

/** Idempotent: every step is recorded in `seed_runs` in the same transaction that runs it. */
export async function seedDemoData(db: Db, logger?: Logger): Promise<string[]> {
  const ran: string[] = [];
  for (const step of seedSteps) {
    const didRun = await db.transaction().execute(async (trx) => {
      // Concurrent instances block on this insert; the loser sees the conflict and skips.
      const claimed = await trx
        .insertInto("seed_runs")
        .values({ name: step.name })
        .onConflict((oc) => oc.column("name").doNothing())
        .returning("name")
        .executeTakeFirst();
      if (!claimed) return false;
      await step.run(trx);
      return true;
    });
    if (didRun) {
      ran.push(step.name);
      logger?.info({ step: step.name }, "seeded demo data");
    }
  }
  return ran;
}
