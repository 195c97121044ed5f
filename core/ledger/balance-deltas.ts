import type { TransferPhase } from "#db/schema.ts";

/** What a transfer does to balances: enough of a Transfer or of a new transfer's request. */
export type BalanceChange = {
  debitAccountId: bigint;
  creditAccountId: bigint;
  amount: bigint;
  phase: TransferPhase;
};

/** How much each of an account's four balance columns moves. */
export type BalanceDelta = {
  debitsPending: bigint;
  debitsPosted: bigint;
  creditsPending: bigint;
  creditsPosted: bigint;
};

/**
 * The net change to every account the transfers touch, after TigerBeetle: a single
 * transfer adds to posted; a pending one adds to pending; a post moves its amount from
 * pending to posted; a void takes it off pending. Accounts appear in the order first met.
 */
export function balanceDeltas(transfers: readonly BalanceChange[]): Map<bigint, BalanceDelta> {
  const deltas = new Map<bigint, BalanceDelta>();
  const delta = (id: bigint) => {
    let d = deltas.get(id);
    if (!d) {
      d = { debitsPending: 0n, debitsPosted: 0n, creditsPending: 0n, creditsPosted: 0n };
      deltas.set(id, d);
    }
    return d;
  };
  for (const t of transfers) {
    const debit = delta(t.debitAccountId);
    const credit = delta(t.creditAccountId);
    switch (t.phase) {
      case "single":
        debit.debitsPosted += t.amount;
        credit.creditsPosted += t.amount;
        break;
      case "pending":
        debit.debitsPending += t.amount;
        credit.creditsPending += t.amount;
        break;
      case "post":
        debit.debitsPending -= t.amount;
        debit.debitsPosted += t.amount;
        credit.creditsPending -= t.amount;
        credit.creditsPosted += t.amount;
        break;
      case "void":
        debit.debitsPending -= t.amount;
        credit.creditsPending -= t.amount;
        break;
    }
  }
  return deltas;
}
