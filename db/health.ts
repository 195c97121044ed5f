import type { Db } from "./create-db.ts";

/**
 * One cheap read of a real table, so a database that is up but not migrated fails too.
 * Throws when the database cannot answer; the caller reports how.
 */
export async function pingDatabase(db: Db): Promise<void> {
  await db
    .selectFrom("users")
    .select((eb) => eb.lit(1).as("one"))
    .limit(1)
    .execute();
}
