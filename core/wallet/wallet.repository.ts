import { sql } from "kysely";
import type { UserId } from "#core/auth/ids.ts";
import type { Db } from "#db/create-db.ts";
import type { TransferPhase } from "#db/schema.ts";

/** When the user's next held reward unlocks; null when nothing is on hold. */
export async function findNextUnlock(db: Db, userId: UserId): Promise<Date | null> {
  const next = await db
    .selectFrom("rewards")
    .select((eb) => eb.fn.min("hold_until").as("next"))
    .where("user_id", "=", userId)
    .where("status", "=", "held")
    .executeTakeFirst();
  return (next?.next as Date | null | undefined) ?? null;
}

export type UserTransferRow = {
  id: bigint;
  kind: string;
  phase: TransferPhase;
  amount: string;
  memo: string | null;
  created_at: Date;
  debit_kind: string;
  debit_user: string | null;
  credit_kind: string;
  credit_user: string | null;
};

/** Transfers debiting or crediting any of the user's accounts, newest first, before `after`. */
export async function listTransfersTouchingUser(
  db: Db,
  userId: UserId,
  page: { limit: number; after?: bigint | null },
): Promise<UserTransferRow[]> {
  const { rows } = await sql<UserTransferRow>`
    with mine as (
      select id from ledger_accounts where user_id = ${userId}::uuid
    )
    select t.id, t.kind, t.phase, t.amount, t.memo, t.created_at,
           d.kind as debit_kind, d.user_id as debit_user,
           c.kind as credit_kind, c.user_id as credit_user
    from ledger_transfers t
    join ledger_accounts d on d.id = t.debit_account_id
    join ledger_accounts c on c.id = t.credit_account_id
    where (t.debit_account_id in (select id from mine) or t.credit_account_id in (select id from mine))
      ${page.after != null ? sql`and t.id < ${String(page.after)}::bigint` : sql``}
    order by t.id desc
    limit ${page.limit}`.execute(db);
  return rows;
}
