import type { Db } from "#db/create-db.ts";
import { asTransferAmount } from "./amount.ts";
import type { BalanceChange } from "./balance-deltas.ts";
import { isRetryableConflict, LedgerError } from "./ledger-error.ts";
import {
  findTransfersByKey,
  insertNewTransfers,
  lockPendingTransfers,
  moveBalances,
  transfersInsert,
  type Transfer,
  type TransferToInsert,
} from "./transfers.repository.ts";

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

export type TransferResult = { transfer: Transfer; isReplay: boolean };

const kindPattern = /^[a-z][a-z0-9_.]{0,39}$/;
const MAX_KEY_LENGTH = 200;
const MAX_MEMO_LENGTH = 500;

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

function sameTransfer(a: TransferToInsert, b: Transfer): boolean {
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
    for (const pending of await lockPendingTransfers(trx, pendingIds)) {
      pendings.set(pending.id, pending);
    }
  }

  const resolved: TransferToInsert[] = requests.map((r) => {
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

  const byKey = new Map<string, TransferToInsert>();
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
  const inserted = await insertNewTransfers(trx, unique);

  const insertedByKey = new Map(inserted.map((t) => [t.key, t]));
  const missingKeys = unique.filter((r) => !insertedByKey.has(r.key)).map((r) => r.key);
  const replays = new Map<string, Transfer>();
  if (missingKeys.length > 0) {
    for (const original of await findTransfersByKey(trx, missingKeys)) {
      replays.set(original.key, original);
    }
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
function resolvedNew(r: NewTransferRequest): TransferToInsert {
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
  await moveBalances(trx, transfers);
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
