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
  /** The action kind of the reward the transfer pays, releases or undoes; null for others. */
  action_kind: string | null;
};

/**
 * Which rewards' transfers to keep, by the family of their action kind ("like" of
 * "like.received"): those in `families`, and when `isCatchAll` also every family that is
 * not in `knownFamilies` (the stream unknown kinds fall into).
 */
export type ActionFamilyFilter = {
  families: readonly string[];
  isCatchAll: boolean;
  knownFamilies: readonly string[];
};

/**
 * Transfers debiting or crediting any of the user's accounts, newest first, before `after`,
 * each with the action kind of its reward (a reward's pending or single transfer, or the
 * post/void that resolves it); with `families`, only rewards' transfers of those families.
 */
export async function listTransfersTouchingUser(
  db: Db,
  userId: UserId,
  page: { limit: number; after?: bigint | null; families?: ActionFamilyFilter | null },
): Promise<UserTransferRow[]> {
  const filter = page.families;
  const family = sql`split_part(ur.action_kind, '.', 1)`;
  const { rows } = await sql<UserTransferRow>`
    with mine as (
      select id from ledger_accounts where user_id = ${userId}::uuid
    ),
    user_rewards as (
      select transfer_id, action_kind from rewards
      where user_id = ${userId}::uuid and transfer_id is not null
    )
    select t.id, t.kind, t.phase, t.amount, t.memo, t.created_at,
           d.kind as debit_kind, d.user_id as debit_user,
           c.kind as credit_kind, c.user_id as credit_user,
           ur.action_kind
    from ledger_transfers t
    join ledger_accounts d on d.id = t.debit_account_id
    join ledger_accounts c on c.id = t.credit_account_id
    left join user_rewards ur on ur.transfer_id = coalesce(t.pending_id, t.id)
    where (t.debit_account_id in (select id from mine) or t.credit_account_id in (select id from mine))
      ${page.after != null ? sql`and t.id < ${String(page.after)}::bigint` : sql``}
      ${
        filter
          ? sql`and ur.action_kind is not null and (${family} = any(${sql.val([...filter.families])}::text[])
              ${
                filter.isCatchAll
                  ? sql`or not (${family} = any(${sql.val([...filter.knownFamilies])}::text[]))`
                  : sql``
              })`
          : sql``
      }
    order by t.id desc
    limit ${page.limit}`.execute(db);
  return rows;
}
