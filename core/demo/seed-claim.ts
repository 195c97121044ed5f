import type { Db } from "#db/create-db.ts";

/**
 * For a seed step that is not idempotent (it creates posts, plays runs): true for the one
 * instance that claims `name` first, false for every other, so only the claimant seeds it.
 * If the claimant dies midway, the demo keeps what it managed to write.
 */
export async function claimSeedStep(db: Db, name: string): Promise<boolean> {
  const claimed = await db
    .insertInto("seed_runs")
    .values({ name })
    .onConflict((oc) => oc.column("name").doNothing())
    .returning("name")
    .executeTakeFirst();
  return claimed !== undefined;
}
