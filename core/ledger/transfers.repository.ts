import { sql, type RawBuilder } from "kysely";
import type { Db } from "#db/create-db.ts";
import { preparedAs } from "#db/prepared-statements.ts";
import type { TransferPhase } from "#db/schema.ts";
import { balanceDeltas, type BalanceChange, type BalanceDelta } from "./balance-deltas.ts";
import { asLedgerError, UNKNOWN_ACCOUNT_REFUSAL, unknownAccount } from "./ledger-error.ts";

export type Transfer = {
  id: bigint;
  key: string;
  debitAccountId: bigint;
  creditAccountId: bigint;
  amount: bigint;
  kind: string;
  phase: TransferPhase;
  pendingId: bigint | null;
  memo: string | null;
  createdAt: Date;
};

/** A transfer as it is written: its terms resolved (a post or void carries its pending's). */
export type TransferToInsert = {
  key: string;
  debit: bigint;
  credit: bigint;
  amount: bigint;
  kind: string;
  phase: TransferPhase;
  pendingId: bigint | null;
  memo: string | null;
};

type TransferRow = {
  id: bigint;
  idempotency_key: string;
  debit_account_id: bigint;
  credit_account_id: bigint;
  amount: string;
  kind: string;
  phase: TransferPhase;
  pending_id: bigint | null;
  memo: string | null;
  created_at: Date;
};

function toTransfer(row: TransferRow): Transfer {
  return {
    id: BigInt(row.id),
    key: row.idempotency_key,
    debitAccountId: BigInt(row.debit_account_id),
    creditAccountId: BigInt(row.credit_account_id),
    amount: BigInt(row.amount),
    kind: row.kind,
    phase: row.phase,
    pendingId: row.pending_id === null ? null : BigInt(row.pending_id),
    memo: row.memo,
    createdAt: row.created_at,
  };
}

/** The still-pending transfers among `ids`, locked so that only one post or void resolves each. */
export async function lockPendingTransfers(trx: Db, ids: readonly bigint[]): Promise<Transfer[]> {
  const { rows } = await sql<TransferRow>`
    select * from ledger_transfers
    where id = any(${sql.val(ids.map(String))}::bigint[]) and phase = 'pending'
    for update`.execute(trx);
  return rows.map(toTransfer);
}

export async function findTransfersByKey(trx: Db, keys: readonly string[]): Promise<Transfer[]> {
  const { rows } = await sql<TransferRow>`
    select * from ledger_transfers
    where idempotency_key = any(${sql.val(keys)}::text[])`.execute(trx);
  return rows.map(toTransfer);
}

/** Inserts the transfers whose keys are new and returns those; keys already present are skipped. */
export async function insertNewTransfers(
  trx: Db,
  transfers: readonly TransferToInsert[],
): Promise<Transfer[]> {
  const { rows } = await transfersInsert(transfers).execute(trx);
  return rows.map(toTransfer);
}

/**
 * The ledger's one insert of transfers, as a statement a caller may also embed as a CTE
 * (it returns each new transfer's row); keys already present are skipped.
 */
export function transfersInsert(rows: readonly TransferToInsert[]) {
  return sql<TransferRow>`
    insert into ledger_transfers
      (idempotency_key, debit_account_id, credit_account_id, amount, kind, phase, pending_id, memo)
    select * from unnest(
      ${sql.val(rows.map((r) => r.key))}::text[],
      ${sql.val(rows.map((r) => String(r.debit)))}::bigint[],
      ${sql.val(rows.map((r) => String(r.credit)))}::bigint[],
      ${sql.val(rows.map((r) => r.amount.toString()))}::numeric[],
      ${sql.val(rows.map((r) => r.kind))}::text[],
      ${sql.val(rows.map((r) => r.phase))}::text[],
      ${sql.val(rows.map((r) => (r.pendingId === null ? null : String(r.pendingId))))}::bigint[],
      ${sql.val(rows.map((r) => r.memo))}::text[])
    on conflict do nothing
    returning *`;
}

/**
 * Moves the balances of every account the transfers touch, users' accounts first and the
 * shared ones last (see balanceMove). An overdraft throws `insufficient_funds`; an account
 * that does not exist throws `unknown_account`.
 */
export async function moveBalances(trx: Db, transfers: readonly BalanceChange[]): Promise<void> {
  const move = balanceMove(transfers);
  const { rows } = await asLedgerError(() =>
    sql<{
      users_moved: string[];
    }>`with ${move.ctes} select ${move.usersMoved} as users_moved`.execute(trx),
  );
  await move.moveShared(trx, rows[0]!.users_moved);
}

/**
 * The balance move of `transfers`, the ledger's one implementation of moving balances, in
 * two parts. First the users' accounts, locked in id order and updated, as common table
 * expressions for a caller to embed in a statement of its own (the reward engine writes a
 * batch in one statement); `after` is a boolean expression their lock waits for, so that
 * locks the caller takes earlier in the same statement (cap counters) come first. The
 * caller selects `usersMoved` and passes it to `moveShared`, which moves the shared
 * accounts (budgets, mint, fees) in a small statement of its own, last, so the contended
 * rows stay locked only from their update to commit. Everyone locks in this order, so
 * concurrent transactions never wait on each other in a cycle.
 *
 * Why the shared accounts get their own statement: their rows are nearly always locked by
 * another transaction in flight, and when a statement finds a row it waits for changed,
 * Postgres re-checks it (EvalPlanQual) by starting up a copy of the statement's whole plan.
 * For the reward engine's write statement that start-up cost as much as a tenth of all the
 * CPU a reward took; for this statement it is small.
 *
 * `moveShared` throws `unknown_account` unless every account moved (this is what proves a
 * transfer's accounts exist). Run both parts inside `asLedgerError`.
 *
 * A statement that is its own transaction (autocommit) cannot take a second statement:
 * it embeds `sharedCtes` after `ctes` instead, and selects `refusedUnlessAllMoved`, which
 * aborts it (as `unknown_account`, through `asLedgerError`) unless every account moved. The shared rows are then locked by the big statement, so when
 * another transaction holds one it pays for the re-check above; one writer at a time (the
 * reward engine's default) rarely meets another there.
 */
export function balanceMove(transfers: readonly BalanceChange[], after = sql`true`) {
  const entries = [...balanceDeltas(transfers).entries()];
  return {
    ctes: sql`
    balance_deltas(id, dp, dpo, cp, cpo) as (select * from ${deltaTable(entries)}),
    ${lockThenMove("users", sql`a.user_id is not null and ${after}`)}`,
    /** The shared accounts, locked and moved after the users' in the same statement. */
    sharedCtes: lockThenMove(
      "shared",
      sql`a.user_id is null and (select count(*) from users_moved) >= 0`,
    ),
    /** With `sharedCtes`: null, or the statement aborts because an account does not exist. */
    refusedUnlessAllMoved: sql<null>`(case
      when (select count(*) from users_moved) + (select count(*) from shared_moved) <> ${entries.length}
      then refuse_statement(${UNKNOWN_ACCOUNT_REFUSAL}) end)`,
    /** The ids (as text) of the users' accounts the statement moved. */
    usersMoved: sql<string[]>`(select coalesce(array_agg(id::text), '{}') from users_moved)`,
    async moveShared(trx: Db, usersMoved: readonly string[]): Promise<void> {
      const moved = new Set(usersMoved);
      const rest = entries.filter(([id]) => !moved.has(String(id)));
      if (rest.length === 0) return;
      const { rows } = await asLedgerError(() =>
        sql<{ moved: string }>`${preparedAs("ledger-move-shared")}
          with balance_deltas(id, dp, dpo, cp, cpo) as (select * from ${deltaTable(rest)}),
          ${lockThenMove("shared", sql`true`)}
          select count(*) as moved from shared_moved`.execute(trx),
      );
      if (Number(rows[0]!.moved) !== rest.length) throw unknownAccount();
    },
  };
}

/** `<name>_locked` (the accounts matching `which`, locked in id order), then `<name>_moved`. */
function lockThenMove(name: "users" | "shared", which: RawBuilder<unknown>) {
  const locked = sql.raw(`${name}_locked`);
  return sql`
    ${locked} as (
      select a.id from ledger_accounts a join balance_deltas d on d.id = a.id
      where ${which}
      order by a.id
      for no key update of a
    ),
    ${sql.raw(`${name}_moved`)} as (
      update ledger_accounts as a set ${balanceChange}
      from balance_deltas d, ${locked} l
      where a.id = d.id and a.id = l.id
      returning a.id
    )`;
}

const balanceChange = sql`
  debits_pending = a.debits_pending + d.dp,
  debits_posted = a.debits_posted + d.dpo,
  credits_pending = a.credits_pending + d.cp,
  credits_posted = a.credits_posted + d.cpo`;

function deltaTable(entries: [bigint, BalanceDelta][]) {
  return sql`unnest(
      ${sql.val(entries.map(([id]) => String(id)))}::bigint[],
      ${sql.val(entries.map(([, d]) => d.debitsPending.toString()))}::numeric[],
      ${sql.val(entries.map(([, d]) => d.debitsPosted.toString()))}::numeric[],
      ${sql.val(entries.map(([, d]) => d.creditsPending.toString()))}::numeric[],
      ${sql.val(entries.map(([, d]) => d.creditsPosted.toString()))}::numeric[]
    ) as d(id, dp, dpo, cp, cpo)`;
}
