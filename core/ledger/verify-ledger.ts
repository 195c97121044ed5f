import type { Db } from "#db/create-db.ts";
import type { TransferPhase } from "#db/schema.ts";
import { formatMicro } from "#shared/money.ts";
import {
  findAccountsNotMatchingTransfers,
  findDuplicateKeys,
  findMalformedTransfers,
  findNegativeOrOverdrawnAccounts,
  findOrphanedRewardTransfers,
  findPendingsResolvedMoreThanOnce,
  findRewardsDisagreeingWithLedger,
  findTransfersPayingSeveralRewards,
  makeTransactionReadOnly,
  readLedgerTotals,
  type AccountBalanceRow,
  type BalanceMismatchRow,
  type LedgerTotalsRow,
  type OrphanedRewardTransferRow,
  type RewardCheckRow,
  type SharedRewardTransferRow,
  type TransferShapeRow,
} from "./verify-ledger.repository.ts";

/**
 * Checks the ledger's invariants on a live database and reports every violation
 * precisely: which account, transfer or reward, what was expected and what is there.
 *
 * Each invariant is one named check (see invariantChecks) over set-based queries (no
 * per-account loop, verify-ledger.repository.ts), and all of them read one consistent
 * snapshot (a read-only REPEATABLE READ transaction), so the report is accurate while
 * other instances keep writing.
 */

export type BalanceColumn =
  "debits_pending" | "debits_posted" | "credits_pending" | "credits_posted";

export const balanceColumns: readonly BalanceColumn[] = [
  "debits_pending",
  "debits_posted",
  "credits_pending",
  "credits_posted",
];

/** The invariants, in the order they are reported. */
export type LedgerCheck =
  | "zero_sum"
  | "no_negative_or_overdraft"
  | "balances_match_transfers"
  | "transfers_well_formed"
  | "unique_keys"
  | "pending_resolved_once"
  | "rewards_match_ledger";

export const ledgerChecks: Record<LedgerCheck, string> = {
  zero_sum: "all posted balances sum to zero, and all pending balances too",
  no_negative_or_overdraft:
    "no balance column is negative; no must-not-overdraw account has debits (posted + pending) above its posted credits",
  balances_match_transfers:
    "every account's four balance columns equal the sums recomputed from its transfers",
  transfers_well_formed:
    "every transfer has a positive amount and two different accounts; every post/void resolves a pending transfer on its exact terms",
  unique_keys: "idempotency keys are unique (transfers and rewards)",
  pending_resolved_once: "every pending transfer is posted or voided at most once",
  rewards_match_ledger:
    "held rewards have an unresolved pending transfer, available ones a single or posted one, reversed ones a voided one, refused ones none; amount, payee, budget and user agree; every reward transfer belongs to exactly one reward",
};

export type AccountRef = { accountId: bigint; code: string };
export type TransferRef = { transferId: bigint; key: string };
export type RewardRef = { rewardId: bigint; key: string; userId: string; status: string };

export type LedgerViolation = { message: string } & (
  | {
      kind: "sum_not_zero";
      check: "zero_sum";
      balance: "posted" | "pending";
      expected: bigint;
      actual: bigint;
    }
  | {
      kind: "negative_column";
      check: "no_negative_or_overdraft";
      account: AccountRef;
      column: BalanceColumn;
      expected: string;
      actual: bigint;
    }
  | {
      kind: "overdraft";
      check: "no_negative_or_overdraft";
      account: AccountRef;
      /** debits_posted + debits_pending */
      actual: bigint;
      /** credits_posted: the most the debits may reach */
      expected: bigint;
      excess: bigint;
    }
  | {
      kind: "balance_mismatch";
      check: "balances_match_transfers";
      account: AccountRef;
      column: BalanceColumn;
      /** The sum recomputed from the account's transfers. */
      expected: bigint;
      /** The stored column. */
      actual: bigint;
    }
  | {
      kind: "malformed_transfer";
      check: "transfers_well_formed";
      transfer: TransferRef;
      field: "amount" | "accounts" | "phase" | "pending_id";
      expected: string;
      actual: string;
    }
  | {
      kind: "resolution_mismatch";
      check: "transfers_well_formed";
      transfer: TransferRef;
      pendingId: bigint;
      field: "pending" | "debit_account_id" | "credit_account_id" | "amount";
      expected: string;
      actual: string;
    }
  | {
      kind: "duplicate_key";
      check: "unique_keys";
      table: "ledger_transfers" | "rewards";
      key: string;
      ids: bigint[];
    }
  | {
      kind: "resolved_more_than_once";
      check: "pending_resolved_once";
      pendingId: bigint;
      resolutions: { transferId: bigint; phase: TransferPhase }[];
    }
  | {
      kind: "reward_status_mismatch";
      check: "rewards_match_ledger";
      reward: RewardRef;
      transferId: bigint | null;
      expected: string;
      actual: string;
    }
  | {
      kind: "reward_unknown_user" | "reward_unknown_budget";
      check: "rewards_match_ledger";
      reward: RewardRef;
      expected: string;
      actual: string;
    }
  | {
      kind: "reward_amount_mismatch";
      check: "rewards_match_ledger";
      reward: RewardRef;
      transferId: bigint;
      /** The reward's amount. */
      expected: bigint;
      /** The transfer's amount. */
      actual: bigint;
    }
  | {
      kind: "reward_wrong_payee";
      check: "rewards_match_ledger";
      reward: RewardRef;
      transferId: bigint;
      expected: string;
      actual: string;
    }
  | {
      kind: "reward_wrong_budget";
      check: "rewards_match_ledger";
      reward: RewardRef;
      transferId: bigint;
      expected: bigint;
      actual: bigint;
    }
  | {
      kind: "reward_transfer_shared";
      check: "rewards_match_ledger";
      transferId: bigint;
      rewardIds: bigint[];
    }
  | {
      kind: "reward_transfer_orphaned";
      check: "rewards_match_ledger";
      transfer: TransferRef;
      amount: bigint;
      /** The reward the transfer's key names (`reward:<reward key>`), if there is one. */
      reward: RewardRef | null;
    }
);

export type LedgerReport = {
  ok: boolean;
  checkedAt: Date;
  stats: {
    accounts: number;
    transfers: number;
    rewards: number;
    /** Sum over all accounts of credits_posted - debits_posted (0 when healthy). */
    postedTotal: bigint;
    /** Sum over all accounts of credits_pending - debits_pending (0 when healthy). */
    pendingTotal: bigint;
  };
  checks: { check: LedgerCheck; description: string; violations: number; truncated: boolean }[];
  violations: LedgerViolation[];
};

export type VerifyLedgerOptions = {
  /** Each query lists at most this many offending rows (the check says when it stopped). */
  maxViolationsPerCheck?: number;
};

const big = (value: string | number | bigint) => BigInt(value);
const units = (amount: bigint) => `${amount} (${formatMicro(amount)} MICRO)`;
const accountLabel = (a: AccountRef) => `account #${a.accountId} ${a.code}`;
const transferLabel = (t: TransferRef) => `transfer #${t.transferId} (${t.key})`;
const rewardLabel = (r: RewardRef) => `reward #${r.rewardId} ${r.key} [${r.status}]`;

/** Verifies every invariant; runs in its own read-only snapshot unless given a transaction. */
export async function verifyLedger(
  db: Db,
  options: VerifyLedgerOptions = {},
): Promise<LedgerReport> {
  const limit = options.maxViolationsPerCheck ?? 1000;
  if (db.isTransaction) return runChecks(db, limit);
  return db
    .transaction()
    .setIsolationLevel("repeatable read")
    .execute(async (trx) => {
      await makeTransactionReadOnly(trx);
      return runChecks(trx, limit);
    });
}

export type LedgerStats = LedgerReport["stats"];

/** What one check found, and whether it stopped listing at the limit. */
export type CheckFinding = { violations: LedgerViolation[]; truncated: boolean };

export type CheckInput = { db: Db; limit: number; stats: LedgerStats };

/** The invariants, each one named check, run in the order they are reported. */
export const invariantChecks: readonly {
  check: LedgerCheck;
  run: (input: CheckInput) => Promise<CheckFinding>;
}[] = [
  { check: "zero_sum", run: async ({ stats }) => checkZeroSum(stats) },
  { check: "no_negative_or_overdraft", run: checkNoNegativeOrOverdraft },
  { check: "balances_match_transfers", run: checkBalancesMatchTransfers },
  { check: "transfers_well_formed", run: checkTransfersWellFormed },
  { check: "unique_keys", run: checkUniqueKeys },
  { check: "pending_resolved_once", run: checkPendingResolvedOnce },
  { check: "rewards_match_ledger", run: checkRewardsMatchLedger },
];

async function runChecks(db: Db, limit: number): Promise<LedgerReport> {
  const stats = toLedgerStats(await readLedgerTotals(db));
  const violations: LedgerViolation[] = [];
  const truncated = new Set<LedgerCheck>();
  for (const { check, run } of invariantChecks) {
    const finding = await run({ db, limit, stats });
    violations.push(...finding.violations);
    if (finding.truncated) truncated.add(check);
  }

  const counts = new Map<LedgerCheck, number>();
  for (const v of violations) counts.set(v.check, (counts.get(v.check) ?? 0) + 1);
  const checks = (Object.keys(ledgerChecks) as LedgerCheck[]).map((check) => ({
    check,
    description: ledgerChecks[check],
    violations: counts.get(check) ?? 0,
    truncated: truncated.has(check),
  }));
  return { ok: violations.length === 0, checkedAt: new Date(), stats, checks, violations };
}

function toLedgerStats(row: LedgerTotalsRow): LedgerStats {
  return {
    accounts: Number(row.accounts),
    transfers: Number(row.transfers),
    rewards: Number(row.rewards),
    postedTotal: big(row.posted),
    pendingTotal: big(row.pending),
  };
}

/** Asks for one row more than the limit, so that a check can say it stopped there. */
async function findCapped<T>(
  find: (db: Db, limit: number) => Promise<T[]>,
  { db, limit }: CheckInput,
): Promise<{ rows: T[]; truncated: boolean }> {
  const rows = await find(db, limit + 1);
  return { rows: rows.slice(0, limit), truncated: rows.length > limit };
}

/** (a) All posted balances sum to zero, and all pending balances too. */
export function checkZeroSum(stats: LedgerStats): CheckFinding {
  const violations: LedgerViolation[] = [];
  for (const balance of ["posted", "pending"] as const) {
    const actual = balance === "posted" ? stats.postedTotal : stats.pendingTotal;
    if (actual !== 0n) {
      violations.push({
        kind: "sum_not_zero",
        check: "zero_sum",
        balance,
        expected: 0n,
        actual,
        message: `The ${balance} balances of all accounts sum to ${units(actual)}, expected 0.`,
      });
    }
  }
  return { violations, truncated: false };
}

/** (b) No balance column is negative, and no must-not-overdraw account is overdrawn. */
export async function checkNoNegativeOrOverdraft(input: CheckInput): Promise<CheckFinding> {
  const { rows, truncated } = await findCapped(findNegativeOrOverdrawnAccounts, input);
  return { violations: rows.flatMap(negativeOrOverdraftViolations), truncated };
}

export function negativeOrOverdraftViolations(row: AccountBalanceRow): LedgerViolation[] {
  const violations: LedgerViolation[] = [];
  const account = { accountId: big(row.id), code: row.code };
  for (const column of balanceColumns) {
    const actual = big(row[column]);
    if (actual < 0n) {
      violations.push({
        kind: "negative_column",
        check: "no_negative_or_overdraft",
        account,
        column,
        expected: ">= 0",
        actual,
        message: `${accountLabel(account)}: ${column} is ${actual}, expected >= 0.`,
      });
    }
  }
  const debits = big(row.debits_posted) + big(row.debits_pending);
  const credits = big(row.credits_posted);
  if (row.must_not_overdraw && debits > credits) {
    violations.push({
      kind: "overdraft",
      check: "no_negative_or_overdraft",
      account,
      actual: debits,
      expected: credits,
      excess: debits - credits,
      message: `${accountLabel(account)} must not overdraw, but its debits (posted + pending) are ${units(debits)} against posted credits of ${units(credits)}: overdrawn by ${units(debits - credits)}.`,
    });
  }
  return violations;
}

/** (c) Every account's four columns equal the sums recomputed from its transfers. */
export async function checkBalancesMatchTransfers(input: CheckInput): Promise<CheckFinding> {
  const { rows, truncated } = await findCapped(findAccountsNotMatchingTransfers, input);
  return { violations: rows.flatMap(balanceMismatchViolations), truncated };
}

export function balanceMismatchViolations(row: BalanceMismatchRow): LedgerViolation[] {
  const violations: LedgerViolation[] = [];
  const account = { accountId: big(row.id), code: row.code };
  for (const column of balanceColumns) {
    const actual = big(row[column]);
    const expected = big(row[`expected_${column}`]);
    if (actual !== expected) {
      violations.push({
        kind: "balance_mismatch",
        check: "balances_match_transfers",
        account,
        column,
        expected,
        actual,
        message: `${accountLabel(account)}: ${column} is ${units(actual)}, but its transfers sum to ${units(expected)} (off by ${actual - expected}).`,
      });
    }
  }
  return violations;
}

/** Transfers are well formed; a post/void carries exactly its pending transfer's terms. */
export async function checkTransfersWellFormed(input: CheckInput): Promise<CheckFinding> {
  const { rows, truncated } = await findCapped(findMalformedTransfers, input);
  return { violations: rows.flatMap(transferShapeViolations), truncated };
}

export function transferShapeViolations(row: TransferShapeRow): LedgerViolation[] {
  const violations: LedgerViolation[] = [];
  const transfer = { transferId: big(row.id), key: row.idempotency_key };
  const malformed = (
    field: "amount" | "accounts" | "phase" | "pending_id",
    expected: string,
    actual: string,
  ) =>
    violations.push({
      kind: "malformed_transfer",
      check: "transfers_well_formed",
      transfer,
      field,
      expected,
      actual,
      message: `${transferLabel(transfer)}: ${field} is ${actual}, expected ${expected}.`,
    });
  if (big(row.amount) <= 0n) malformed("amount", "a positive amount", row.amount);
  if (big(row.debit_account_id) === big(row.credit_account_id)) {
    malformed(
      "accounts",
      "two different accounts",
      `account #${row.debit_account_id} on both sides`,
    );
  }
  for (const [side, isMissing, id] of [
    ["debit", row.is_debit_missing, row.debit_account_id],
    ["credit", row.is_credit_missing, row.credit_account_id],
  ] as const) {
    if (isMissing)
      malformed("accounts", `an existing ${side} account`, `account #${id}, which does not exist`);
  }
  const phases = ["single", "pending", "post", "void"];
  if (!phases.includes(row.phase)) malformed("phase", phases.join(" | "), row.phase);
  const resolves = row.phase === "post" || row.phase === "void";
  if (resolves !== (row.pending_id !== null)) {
    malformed(
      "pending_id",
      resolves ? "the id of the pending transfer it resolves" : "none",
      row.pending_id === null ? "none" : `#${row.pending_id}`,
    );
  }
  if (row.pending_id === null) return violations;
  const pendingId = big(row.pending_id);
  const mismatch = (
    field: "pending" | "debit_account_id" | "credit_account_id" | "amount",
    expected: string,
    actual: string,
  ) =>
    violations.push({
      kind: "resolution_mismatch",
      check: "transfers_well_formed",
      transfer,
      pendingId,
      field,
      expected,
      actual,
      message: `${transferLabel(transfer)} (${row.phase} of #${pendingId}): ${field} is ${actual}, expected ${expected}.`,
    });
  if (row.p_id === null) {
    mismatch("pending", `transfer #${pendingId} to exist`, "no such transfer");
    return violations;
  }
  if (row.p_phase !== "pending") {
    mismatch("pending", "a pending transfer", `a ${row.p_phase} transfer`);
    return violations;
  }
  if (big(row.p_debit_account_id!) !== big(row.debit_account_id)) {
    mismatch(
      "debit_account_id",
      `#${row.p_debit_account_id} (the pending transfer's)`,
      `#${row.debit_account_id}`,
    );
  }
  if (big(row.p_credit_account_id!) !== big(row.credit_account_id)) {
    mismatch(
      "credit_account_id",
      `#${row.p_credit_account_id} (the pending transfer's)`,
      `#${row.credit_account_id}`,
    );
  }
  if (big(row.p_amount!) !== big(row.amount)) {
    mismatch("amount", `${row.p_amount} (the pending transfer's)`, row.amount);
  }
  return violations;
}

/** (d) Idempotency keys are unique, in transfers and in rewards. */
export async function checkUniqueKeys(input: CheckInput): Promise<CheckFinding> {
  const { rows, truncated } = await findCapped(findDuplicateKeys, input);
  const violations = rows.map((row): LedgerViolation => {
    const ids = row.ids.map(big);
    return {
      kind: "duplicate_key",
      check: "unique_keys",
      table: row.tbl,
      key: row.key,
      ids,
      message: `Idempotency key ${row.key} is used by ${ids.length} rows of ${row.tbl} (ids ${ids.join(", ")}), expected 1.`,
    };
  });
  return { violations, truncated };
}

/** (d) Each pending transfer is posted or voided at most once. */
export async function checkPendingResolvedOnce(input: CheckInput): Promise<CheckFinding> {
  const { rows, truncated } = await findCapped(findPendingsResolvedMoreThanOnce, input);
  const violations = rows.map((row): LedgerViolation => {
    const resolutions = row.ids.map((id, i) => ({ transferId: big(id), phase: row.phases[i]! }));
    return {
      kind: "resolved_more_than_once",
      check: "pending_resolved_once",
      pendingId: big(row.pending_id),
      resolutions,
      message: `Pending transfer #${row.pending_id} is resolved ${resolutions.length} times (${resolutions.map((r) => `${r.phase} #${r.transferId}`).join(", ")}), expected at most once.`,
    };
  });
  return { violations, truncated };
}

/**
 * (e) Rewards agree with the ledger (status, amount, payee, budget, and that their user,
 * budget and transfer exist), and every reward-paying transfer belongs to exactly one reward.
 */
export async function checkRewardsMatchLedger(input: CheckInput): Promise<CheckFinding> {
  const disagreeing = await findCapped(findRewardsDisagreeingWithLedger, input);
  const shared = await findCapped(findTransfersPayingSeveralRewards, input);
  const orphans = await findCapped(findOrphanedRewardTransfers, input);
  return {
    violations: [
      ...disagreeing.rows.flatMap(rewardViolations),
      ...shared.rows.map(sharedRewardTransferViolation),
      ...orphans.rows.map(orphanedRewardTransferViolation),
    ],
    truncated: disagreeing.truncated || shared.truncated || orphans.truncated,
  };
}

export function rewardViolations(row: RewardCheckRow): LedgerViolation[] {
  const violations: LedgerViolation[] = [];
  const reward = {
    rewardId: big(row.id),
    key: row.idempotency_key,
    userId: row.user_id,
    status: row.status,
  };
  const transferId = row.transfer_id === null ? null : big(row.transfer_id);
  if (!row.user_ok) {
    violations.push({
      kind: "reward_unknown_user",
      check: "rewards_match_ledger",
      reward,
      expected: "an existing user",
      actual: `user ${reward.userId}, which does not exist`,
      message: `${rewardLabel(reward)} is for user ${reward.userId}, who does not exist.`,
    });
  }
  if (!row.status_ok) {
    const expected =
      {
        held: "an unresolved pending transfer",
        available: "a single transfer, or a pending transfer that was posted",
        reversed: "a pending transfer that was voided",
        refused: "no transfer",
      }[row.status] ?? "a known status (held, available, reversed, refused)";
    let actual: string;
    if (transferId === null) actual = "no transfer";
    else if (row.t_id === null) actual = `transfer #${transferId}, which does not exist`;
    else if (row.t_phase !== "pending") actual = `${row.t_phase} transfer #${transferId}`;
    else if (row.res_id === null) actual = `pending transfer #${transferId}, unresolved`;
    else
      actual = `pending transfer #${transferId}, ${row.res_phase === "post" ? "posted" : "voided"} by #${row.res_id}`;
    violations.push({
      kind: "reward_status_mismatch",
      check: "rewards_match_ledger",
      reward,
      transferId,
      expected,
      actual,
      message: `${rewardLabel(reward)}: expected ${expected}, found ${actual}.`,
    });
  }
  if (row.b_id === null) {
    violations.push({
      kind: "reward_unknown_budget",
      check: "rewards_match_ledger",
      reward,
      expected: "an existing budget",
      actual:
        row.budget_id === null ? "no budget" : `budget ${row.budget_id}, which does not exist`,
      message: `${rewardLabel(reward)} is charged to ${row.budget_id === null ? "no budget" : `budget ${row.budget_id}, which does not exist`}; every reward is charged to a budget.`,
    });
  }
  if (transferId === null || row.t_id === null) return violations;
  if (!row.amount_ok) {
    const expected = big(row.amount);
    const actual = big(row.t_amount!);
    violations.push({
      kind: "reward_amount_mismatch",
      check: "rewards_match_ledger",
      reward,
      transferId,
      expected,
      actual,
      message: `${rewardLabel(reward)} is for ${units(expected)}, but its transfer #${transferId} moves ${units(actual)}.`,
    });
  }
  if (!row.payee_ok) {
    const expected = `user:${reward.userId}:wallet`;
    const actual = row.credit_code ?? `account #${row.t_credit_account_id}`;
    violations.push({
      kind: "reward_wrong_payee",
      check: "rewards_match_ledger",
      reward,
      transferId,
      expected,
      actual,
      message: `${rewardLabel(reward)}: transfer #${transferId} credits ${actual}, expected the reward's user's wallet ${expected}.`,
    });
  }
  if (!row.budget_ok && row.b_id !== null) {
    const expected = big(row.budget_account_id!);
    const actual = big(row.t_debit_account_id!);
    violations.push({
      kind: "reward_wrong_budget",
      check: "rewards_match_ledger",
      reward,
      transferId,
      expected,
      actual,
      message: `${rewardLabel(reward)}: transfer #${transferId} debits account #${actual}, expected its budget ${row.b_id}'s account #${expected}.`,
    });
  }
  return violations;
}

function sharedRewardTransferViolation(row: SharedRewardTransferRow): LedgerViolation {
  const rewardIds = row.ids.map(big);
  return {
    kind: "reward_transfer_shared",
    check: "rewards_match_ledger",
    transferId: big(row.transfer_id),
    rewardIds,
    message: `Transfer #${row.transfer_id} pays ${rewardIds.length} rewards (${rewardIds.map((id) => `#${id}`).join(", ")}), expected one.`,
  };
}

function orphanedRewardTransferViolation(row: OrphanedRewardTransferRow): LedgerViolation {
  const transfer = { transferId: big(row.id), key: row.idempotency_key };
  const reward =
    row.r_id === null
      ? null
      : {
          rewardId: big(row.r_id),
          key: row.r_key!,
          userId: row.r_user_id!,
          status: row.r_status!,
        };
  return {
    kind: "reward_transfer_orphaned",
    check: "rewards_match_ledger",
    transfer,
    amount: big(row.amount),
    reward,
    message: `${transferLabel(transfer)} pays a reward of ${units(big(row.amount))}, but no reward points to it${reward ? ` (its key names ${rewardLabel(reward)})` : ""}.`,
  };
}

/** The report in words, one line per violation, for people and CI logs. */
export function formatLedgerReport(report: LedgerReport): string {
  const lines: string[] = [];
  const { stats } = report;
  lines.push(
    `Checked ${stats.accounts} accounts, ${stats.transfers} transfers and ${stats.rewards} rewards at ${report.checkedAt.toISOString()}.`,
  );
  for (const check of report.checks) {
    const mark = check.violations === 0 ? "PASS" : "FAIL";
    const count =
      check.violations === 0
        ? ""
        : ` — ${check.violations}${check.truncated ? "+" : ""} violation${check.violations === 1 ? "" : "s"}`;
    lines.push(`${mark}  ${check.check}: ${check.description}${count}`);
    for (const v of report.violations.filter((x) => x.check === check.check)) {
      lines.push(`        - ${v.message}`);
    }
    if (check.truncated) {
      lines.push(`        … stopped after ${check.violations}; there are more.`);
    }
  }
  const total = report.violations.length;
  lines.push(
    report.ok
      ? "Ledger OK: every invariant holds."
      : `Ledger FAILED: ${total}${report.checks.some((c) => c.truncated) ? "+" : ""} violation${total === 1 ? "" : "s"}.`,
  );
  return lines.join("\n");
}

/** JSON-safe copy of the report (bigints as decimal strings). */
export function ledgerReportToJson(report: LedgerReport): string {
  return JSON.stringify(
    report,
    (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value),
    2,
  );
}
