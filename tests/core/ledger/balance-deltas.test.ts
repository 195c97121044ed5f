import { describe, expect, it } from "vitest";
import { balanceDeltas, type BalanceChange } from "#core/ledger/balance-deltas.ts";

const zero = { debitsPending: 0n, debitsPosted: 0n, creditsPending: 0n, creditsPosted: 0n };
const change = (phase: BalanceChange["phase"], amount = 5n): BalanceChange => ({
  debitAccountId: 1n,
  creditAccountId: 2n,
  amount,
  phase,
});

describe("balance deltas", () => {
  it("a single transfer moves posted debits on the payer and posted credits on the payee", () => {
    const deltas = balanceDeltas([change("single")]);
    expect(deltas.get(1n)).toEqual({ ...zero, debitsPosted: 5n });
    expect(deltas.get(2n)).toEqual({ ...zero, creditsPosted: 5n });
  });

  it("a pending transfer only reserves: pending columns move, posted ones do not", () => {
    const deltas = balanceDeltas([change("pending")]);
    expect(deltas.get(1n)).toEqual({ ...zero, debitsPending: 5n });
    expect(deltas.get(2n)).toEqual({ ...zero, creditsPending: 5n });
  });

  it("a post moves the amount from pending to posted on both sides", () => {
    const deltas = balanceDeltas([change("post")]);
    expect(deltas.get(1n)).toEqual({ ...zero, debitsPending: -5n, debitsPosted: 5n });
    expect(deltas.get(2n)).toEqual({ ...zero, creditsPending: -5n, creditsPosted: 5n });
  });

  it("a pending transfer then its void leave every column where it was", () => {
    const deltas = balanceDeltas([change("pending"), change("void")]);
    expect(deltas.get(1n)).toEqual(zero);
    expect(deltas.get(2n)).toEqual(zero);
  });

  it("transfers through one account net out into one delta for it", () => {
    const deltas = balanceDeltas([
      change("single", 7n),
      { debitAccountId: 2n, creditAccountId: 3n, amount: 3n, phase: "single" },
    ]);
    expect([...deltas.keys()]).toEqual([1n, 2n, 3n]);
    expect(deltas.get(2n)).toEqual({ ...zero, creditsPosted: 7n, debitsPosted: 3n });
  });
});
