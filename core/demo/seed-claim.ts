import type { Db } from "#db/create-db.ts";
import { insertSeedRun } from "./demo.repository.ts";

/**
 * For a seed step that is not idempotent (it creates posts, plays runs): true for the one
 * instance that claims `name` first, false for every other, so only the claimant seeds it.
 * If the claimant dies midway, the demo keeps what it managed to write.
 */
export async function claimSeedStep(db: Db, name: string): Promise<boolean> {
  return insertSeedRun(db, name);
}
