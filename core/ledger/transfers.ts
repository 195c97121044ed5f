import { sql, type RawBuilder } from "kysely";
import type { Db } from "#db/create-db.ts";
import { preparedAs } from "#db/prepared-statements.ts";
import type { TransferPhase } from "#db/schema.ts";
import { asTransferAmount } from "./amount.ts";
import {
  isPostgresError,
  isRetryableConflict,
  LedgerError,
  statementRefusal,
} from "./ledger-error.ts";

/**
 * A request to move money, after TigerBeetle: `single` moves it now; `pending`
 * reserves it (debit pending on one side, credit pending on the other); `post` and
 * `void` resolve a pending transfer exactly once, for its full amount.
 */
export type TransferRequest =
  | {
      phase: "single" | "pending";
      key: string;
      debitAccountId: bigint;
      creditAccountId: bigint;
      amount: bigint;
      kind: string;
      memo?: string | null;
    }
  | { phase: "post" | "void"; key: string; pendingId: bigint; kind: string; memo?: string | null };

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

export type TransferResult = { transfer: Transfer; isReplay: boolean };

const kindPattern = /^[a-z][a-z0-9_.]{0,39}$/;
const MAX_KEY_LENGTH = 200;
const MAX_MEMO_LENGTH = 500;

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

function validate(request: TransferRequest): void {
  if (
    typeof request.key !== "string" ||
    request.key.length === 0 ||
    request.key.length > MAX_KEY_LENGTH
  ) {
    throw new LedgerError("invalid_key", `An idempotency key has 1–${MAX_KEY_LENGTH} characters.`);
  }
  if (!kindPattern.test(request.kind)) {
    throw new LedgerError("invalid_kind", `"${request.kind}" is not a transfer kind.`);
  }
  if (request.memo && request.memo.length > MAX_MEMO_LENGTH) {
    throw new LedgerError("invalid_key", `A memo has at most ${MAX_MEMO_LENGTH} characters.`);
  }
  if (request.phase === "single" || request.phase === "pending") {
    if (asTransferAmount(request.amount) === null) {
      throw new LedgerError(
        "invalid_amount",
        `A transfer amount is a positive whole number of base units with at most 78 digits (got ${String(request.amount)}).`,
      );
    }
    if (request.debitAccountId === request.creditAccountId) {
      throw new LedgerError("same_account", "A transfer needs two different accounts.");
    }
  }
}

type Resolved = {
  key: string;
  debit: bigint;
  credit: bigint;
  amount: bigint;
  kind: string;
  phase: TransferPhase;
  pendingId: bigint | null;
  memo: string | null;
};

function sameTransfer(a: Resolved, b: Transfer): boolean {
  return (
    a.debit === b.debitAccountId &&
    a.credit === b.creditAccountId &&
    a.amount === b.amount &&
    a.phase === b.phase &&
    a.pendingId === b.pendingId &&
    a.kind === b.kind
  );
}

/**
 * The one function that moves money. Runs inside the caller's transaction and writes
 * every transfer with multi-row statements, so a batch costs a handful of queries.
 * Idempotent per key: a replay returns the original transfer; the same key with
 * different terms throws `idempotency_conflict`. Any LedgerError means the caller's
 * transaction must roll back, so nothing is written.
 */
export async function recordTransfers(
  trx: Db,
  requests: readonly TransferRequest[],
): Promise<TransferResult[]> {
  const results = await insertTransfers(trx, requests);
  await applyTransferBalances(
    trx,
    results.filter((r) => !r.isReplay).map((r) => r.transfer),
  );
  return results;
}

/**
 * The first half of recordTransfers: validates and inserts the transfers (a replay
 * returns the original) without touching balances yet, so a caller can do other work
 * before it takes the account locks. Always follow it with applyTransferBalances for
 * the new transfers in the same transaction.
 */
export async function insertTransfers(
  trx: Db,
  requests: readonly TransferRequest[],
): Promise<TransferResult[]> {
  if (requests.length === 0) return [];
  requests.forEach(validate);

  // Post and void take their accounts and amount from the pending transfer.
  const pendingIds = [
    ...new Set(
      requests.flatMap((r) => (r.phase === "post" || r.phase === "void" ? [r.pendingId] : [])),
    ),
  ];
  const pendings = new Map<bigint, Transfer>();
  if (pendingIds.length > 0) {
    const { rows } = await sql<TransferRow>`
      select * from ledger_transfers
      where id = any(${sql.val(pendingIds.map(String))}::bigint[]) and phase = 'pending'
      for update`.execute(trx);
    for (const row of rows) pendings.set(BigInt(row.id), toTransfer(row));
  }

  const resolved: Resolved[] = requests.map((r) => {
    if (!("pendingId" in r)) return resolvedNew(r);
    const pending = pendings.get(r.pendingId);
    if (!pending) {
      throw new LedgerError("pending_not_found", `No pending transfer ${r.pendingId}.`);
    }
    return {
      key: r.key,
      debit: pending.debitAccountId,
      credit: pending.creditAccountId,
      amount: pending.amount,
      kind: r.kind,
      phase: r.phase,
      pendingId: r.pendingId,
      memo: r.memo ?? pending.memo,
    };
  });

  const byKey = new Map<string, Resolved>();
  for (const r of resolved) {
    const seen = byKey.get(r.key);
    if (seen && JSON.stringify(seen, bigintJson) !== JSON.stringify(r, bigintJson)) {
      throw new LedgerError(
        "idempotency_conflict",
        `Key ${r.key} was used twice with different terms.`,
      );
    }
    byKey.set(r.key, r);
  }
  const unique = [...byKey.values()];

  // Accounts need no check here: moving their balances (applyTransferBalances) proves them.
  const { rows: inserted } = await transfersInsert(unique).execute(trx);

  const insertedByKey = new Map(inserted.map((row) => [row.idempotency_key, toTransfer(row)]));
  const missingKeys = unique.filter((r) => !insertedByKey.has(r.key)).map((r) => r.key);
  const replays = new Map<string, Transfer>();
  if (missingKeys.length > 0) {
    const { rows } = await sql<TransferRow>`
      select * from ledger_transfers
      where idempotency_key = any(${sql.val(missingKeys)}::text[])`.execute(trx);
    for (const row of rows) replays.set(row.idempotency_key, toTransfer(row));
  }
  for (const key of missingKeys) {
    const original = replays.get(key);
    const request = byKey.get(key)!;
    if (!original) {
      // Not inserted and not there: a post/void of an already-resolved pending transfer.
      throw new LedgerError(
        "pending_already_resolved",
        `Pending transfer ${request.pendingId} was already posted or voided.`,
      );
    }
    if (!sameTransfer(request, original)) {
      throw new LedgerError(
        "idempotency_conflict",
        `Key ${key} was already used for a different transfer (amount ${original.amount}).`,
      );
    }
  }

  // A key repeated within the request list is new once; every later mention is a replay.
  const answered = new Set<string>();
  return requests.map((r) => {
    const fresh = insertedByKey.get(r.key);
    const isFirst = !answered.has(r.key);
    answered.add(r.key);
    return fresh && isFirst
      ? { transfer: fresh, isReplay: false }
      : { transfer: fresh ?? replays.get(r.key)!, isReplay: true };
  });
}

function bigintJson(_key: string, value: unknown) {
  return typeof value === "bigint" ? value.toString() : value;
}

type Delta = { dp: bigint; dpo: bigint; cp: bigint; cpo: bigint };

export type NewTransferRequest = Extract<TransferRequest, { phase: "single" | "pending" }>;

/**
 * For callers that write transfers and their own rows in one statement (the reward
 * engine's batches): the validated insert of new single or pending transfers, to embed
 * as a CTE. It returns each new transfer's row. Keys already present are skipped (`on
 * conflict do nothing`), so the caller must compare the returned count with what it asked
 * for, and then move the new transfers' balances (balanceMove) in the same transaction.
 */
export function newTransfersInsert(requests: readonly NewTransferRequest[]) {
  requests.forEach(validate);
  return transfersInsert(requests.map(resolvedNew));
}

/** A new single or pending transfer names its own accounts and amount. */
function resolvedNew(r: NewTransferRequest): Resolved {
  return {
    key: r.key,
    debit: r.debitAccountId,
    credit: r.creditAccountId,
    amount: r.amount,
    kind: r.kind,
    phase: r.phase,
    pendingId: null,
    memo: r.memo ?? null,
  };
}

/** The ledger's one insert of transfers; keys already present are skipped. */
function transfersInsert(rows: readonly Resolved[]) {
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
 * The second half of recordTransfers: moves the balances of every account the new
 * transfers touch (see balanceMove). An overdraft throws `insufficient_funds`; an account
 * that does not exist throws `unknown_account`.
 */
export async function applyTransferBalances(
  trx: Db,
  transfers: readonly BalanceChange[],
): Promise<void> {
  if (transfers.length === 0) return;
  const move = balanceMove(transfers);
  const { rows } = await asLedgerError(() =>
    sql<{
      users_moved: string[];
    }>`with ${move.ctes} select ${move.usersMoved} as users_moved`.execute(trx),
  );
  await move.moveShared(trx, rows[0]!.users_moved);
}

/** What a transfer does to balances: enough of a Transfer or of a new transfer's request. */
export type BalanceChange = Pick<
  Transfer,
  "debitAccountId" | "creditAccountId" | "amount" | "phase"
>;

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
  const deltas = new Map<bigint, Delta>();
  const delta = (id: bigint) => {
    let d = deltas.get(id);
    if (!d) deltas.set(id, (d = { dp: 0n, dpo: 0n, cp: 0n, cpo: 0n }));
    return d;
  };
  for (const t of transfers) {
    const debit = delta(t.debitAccountId);
    const credit = delta(t.creditAccountId);
    switch (t.phase) {
      case "single":
        debit.dpo += t.amount;
        credit.cpo += t.amount;
        break;
      case "pending":
        debit.dp += t.amount;
        credit.cp += t.amount;
        break;
      case "post":
        debit.dp -= t.amount;
        debit.dpo += t.amount;
        credit.cp -= t.amount;
        credit.cpo += t.amount;
        break;
      case "void":
        debit.dp -= t.amount;
        credit.cp -= t.amount;
        break;
    }
  }
  const entries = [...deltas.entries()];
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

/** The reason `refusedUnlessAllMoved` aborts a statement with. */
const UNKNOWN_ACCOUNT_REFUSAL = "unknown_account";

function unknownAccount(): LedgerError {
  return new LedgerError("unknown_account", "A transfer names an account that does not exist.");
}

/** Runs a statement that moves balances, turning the database's refusals into LedgerErrors. */
export async function asLedgerError<T>(statement: () => Promise<T>): Promise<T> {
  try {
    return await statement();
  } catch (error) {
    if (statementRefusal(error) === UNKNOWN_ACCOUNT_REFUSAL) throw unknownAccount();
    if (isPostgresError(error, "23514")) {
      throw new LedgerError(
        "insufficient_funds",
        "The paying account does not have enough available to cover this transfer.",
      );
    }
    if (isPostgresError(error, "22003")) {
      throw new LedgerError("invalid_amount", "This transfer would overflow an account balance.");
    }
    throw error;
  }
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

function deltaTable(entries: [bigint, Delta][]) {
  return sql`unnest(
      ${sql.val(entries.map(([id]) => String(id)))}::bigint[],
      ${sql.val(entries.map(([, d]) => d.dp.toString()))}::numeric[],
      ${sql.val(entries.map(([, d]) => d.dpo.toString()))}::numeric[],
      ${sql.val(entries.map(([, d]) => d.cp.toString()))}::numeric[],
      ${sql.val(entries.map(([, d]) => d.cpo.toString()))}::numeric[]
    ) as d(id, dp, dpo, cp, cpo)`;
}

/**
 * One transfer in its own transaction, retried on a serialization conflict.
 * Nothing is written when it fails.
 */
export async function transfer(db: Db, request: TransferRequest): Promise<TransferResult> {
  const [result] = await inRetryingTransaction(db, (trx) => recordTransfers(trx, [request]));
  return result!;
}

/** Runs `work` in a transaction, again (up to 5 times) after a serialization conflict or deadlock. */
export async function inRetryingTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      if (attempt < 5 && isRetryableConflict(error)) continue;
      throw error;
    }
  }
}
