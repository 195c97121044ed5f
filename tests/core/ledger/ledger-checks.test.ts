import { describe, expect, it } from "vitest";
import {
  checkZeroSum,
  negativeOrOverdraftViolations,
  rewardViolations,
  transferShapeViolations,
} from "#core/ledger/verify-ledger.ts";
import type { RewardCheckRow, TransferShapeRow } from "#core/ledger/verify-ledger.repository.ts";

const stats = { accounts: 3, transfers: 2, rewards: 0, postedTotal: 0n, pendingTotal: 0n };

describe("ledger checks, each on its own", () => {
  it("the zero sum names the balance that does not sum to zero and leaves the other alone", () => {
    const finding = checkZeroSum({ ...stats, postedTotal: 3n });
    expect(finding.truncated).toBe(false);
    expect(finding.violations).toEqual([
      expect.objectContaining({
        kind: "sum_not_zero",
        balance: "posted",
        expected: 0n,
        actual: 3n,
      }),
    ]);
    expect(checkZeroSum(stats).violations).toEqual([]);
  });

  it("an account whose pending debits take it past its posted credits is an overdraft with its excess", () => {
    const violations = negativeOrOverdraftViolations({
      id: 7n,
      code: "user:u:wallet",
      must_not_overdraw: true,
      debits_pending: "4",
      debits_posted: "8",
      credits_pending: "0",
      credits_posted: "10",
    });
    expect(violations).toEqual([
      expect.objectContaining({ kind: "overdraft", actual: 12n, expected: 10n, excess: 2n }),
    ]);
  });

  it("a negative column is named even on an account that may overdraw", () => {
    const violations = negativeOrOverdraftViolations({
      id: 1n,
      code: "system:mint",
      must_not_overdraw: false,
      debits_pending: "0",
      debits_posted: "-1",
      credits_pending: "0",
      credits_posted: "0",
    });
    expect(violations).toEqual([
      expect.objectContaining({ kind: "negative_column", column: "debits_posted", actual: -1n }),
    ]);
  });

  const post: TransferShapeRow = {
    id: 9n,
    idempotency_key: "post-9",
    debit_account_id: 1n,
    credit_account_id: 2n,
    amount: "5",
    phase: "post",
    pending_id: 8n,
    p_id: 8n,
    p_phase: "pending",
    p_debit_account_id: 1n,
    p_credit_account_id: 2n,
    p_amount: "5",
    is_debit_missing: false,
    is_credit_missing: false,
  };

  it("a post on its pending transfer's exact terms is well formed", () => {
    expect(transferShapeViolations(post)).toEqual([]);
  });

  it("a post that changes its pending transfer's amount and payee names both fields", () => {
    const violations = transferShapeViolations({ ...post, amount: "6", credit_account_id: 3n });
    expect(violations.map((v) => v.kind === "resolution_mismatch" && v.field)).toEqual([
      "credit_account_id",
      "amount",
    ]);
  });

  it("a post of a transfer that is not pending says what it resolves instead, and nothing more", () => {
    const violations = transferShapeViolations({ ...post, p_phase: "single", amount: "6" });
    expect(violations).toEqual([
      expect.objectContaining({ field: "pending", actual: "a single transfer" }),
    ]);
  });

  it("a held reward whose pending transfer was posted is a status mismatch naming the post", () => {
    const row: RewardCheckRow = {
      id: 4n,
      idempotency_key: "like:1",
      user_id: "u",
      status: "held",
      amount: "5",
      budget_id: "platform",
      transfer_id: 8n,
      t_id: 8n,
      t_phase: "pending",
      t_amount: "5",
      t_debit_account_id: 1n,
      t_credit_account_id: 2n,
      credit_code: "user:u:wallet",
      b_id: "platform",
      budget_account_id: 1n,
      res_id: 9n,
      res_phase: "post",
      user_ok: true,
      status_ok: false,
      amount_ok: true,
      payee_ok: true,
      budget_ok: true,
    };
    expect(rewardViolations(row)).toEqual([
      expect.objectContaining({
        kind: "reward_status_mismatch",
        expected: "an unresolved pending transfer",
        actual: "pending transfer #8, posted by #9",
      }),
    ]);
  });
});
