import { sql } from "kysely";
import type { Db } from "./create-db.ts";

/**
 * Takes the transaction-level advisory lock `key` if no other transaction holds it, without
 * waiting: a second claimer gives up at once instead of queueing. Released at commit or
 * rollback. Returns whether this transaction holds it.
 */
export async function tryAdvisoryTransactionLock(trx: Db, key: number): Promise<boolean> {
  const { rows } = await sql<{ locked: boolean }>`
    select pg_try_advisory_xact_lock(${key}) as locked`.execute(trx);
  return Boolean(rows[0]?.locked);
}
