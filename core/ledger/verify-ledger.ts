import { sql } from "kysely";
import type { Db } from "#db/create-db.ts";
import type { TransferPhase } from "#db/schema.ts";
import { formatMicro } from "#shared/money.ts";

/**
 * Checks the ledger's invariants on a live database and reports every violation
 * precisely: which account, transfer or reward, what was expected and what is there.
 *
 * Every check is one set-based query (no per-account loop), and all of them read one
 * consistent snapshot (a read-only REPEATABLE READ transaction), so the report is
 * accurate while other instances keep writing.
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
      await sql`set transaction read only`.execute(trx);
      return runChecks(trx, limit);
    });
}

async function runChecks(db: Db, limit: number): Promise<LedgerReport> {
  const violations: LedgerViolation[] = [];
  const truncated = new Set<LedgerCheck>();
  /** Keeps at most `limit` rows of a query that asked for `limit + 1`. */
  const capped = <T>(check: LedgerCheck, rows: T[]): T[] => {
    if (rows.length > limit) truncated.add(check);
    return rows.slice(0, limit);
  };

  // Stats and (a): the zero sum.
  const { rows: statRows } = await sql<{
    accounts: string;
    posted: string;
    pending: string;
    transfers: string;
    rewards: string;
  }>`
    select count(*)::text as accounts,
           coalesce(sum(credits_posted - debits_posted), 0)::text as posted,
           coalesce(sum(credits_pending - debits_pending), 0)::text as pending,
           (select count(*) from ledger_transfers)::text as transfers,
           (select count(*) from rewards)::text as rewards
    from ledger_accounts`.execute(db);
  const stat = statRows[0]!;
  const stats = {
    accounts: Number(stat.accounts),
    transfers: Number(stat.transfers),
    rewards: Number(stat.rewards),
    postedTotal: big(stat.posted),
    pendingTotal: big(stat.pending),
  };
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

  // (b): no negative column, no overdraft.
  type AccountRow = {
    id: bigint;
    code: string;
    must_not_overdraw: boolean;
    debits_pending: string;
    debits_posted: string;
    credits_pending: string;
    credits_posted: string;
  };
  const { rows: badAccounts } = await sql<AccountRow>`
    select id, code, must_not_overdraw,
           debits_pending::text, debits_posted::text, credits_pending::text, credits_posted::text
    from ledger_accounts
    where debits_pending < 0 or debits_posted < 0 or credits_pending < 0 or credits_posted < 0
       or (must_not_overdraw and debits_posted + debits_pending > credits_posted)
    order by id
    limit ${limit + 1}`.execute(db);
  for (const row of capped("no_negative_or_overdraft", badAccounts)) {
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
  }

  // (c): every account's columns equal the sums of its transfers, in one aggregate query.
  // single adds to posted; pending adds to pending; post moves pending to posted; void removes pending.
  type MismatchRow = AccountRow & {
    expected_debits_pending: string;
    expected_debits_posted: string;
    expected_credits_pending: string;
    expected_credits_posted: string;
  };
  const { rows: mismatches } = await sql<MismatchRow>`
    with legs as (
      select leg.account_id, leg.dp, leg.dpo, leg.cp, leg.cpo
      from ledger_transfers t
      cross join lateral (
        select
          case t.phase when 'pending' then t.amount when 'post' then -t.amount
                       when 'void' then -t.amount else 0 end as pending_delta,
          case t.phase when 'single' then t.amount when 'post' then t.amount else 0 end as posted_delta
      ) d
      cross join lateral (values
        (t.debit_account_id, d.pending_delta, d.posted_delta, 0::numeric, 0::numeric),
        (t.credit_account_id, 0::numeric, 0::numeric, d.pending_delta, d.posted_delta)
      ) as leg(account_id, dp, dpo, cp, cpo)
    ),
    sums as (
      select account_id, sum(dp) as dp, sum(dpo) as dpo, sum(cp) as cp, sum(cpo) as cpo
      from legs group by account_id
    )
    select a.id, a.code, a.must_not_overdraw,
           a.debits_pending::text, a.debits_posted::text,
           a.credits_pending::text, a.credits_posted::text,
           coalesce(s.dp, 0)::text as expected_debits_pending,
           coalesce(s.dpo, 0)::text as expected_debits_posted,
           coalesce(s.cp, 0)::text as expected_credits_pending,
           coalesce(s.cpo, 0)::text as expected_credits_posted
    from ledger_accounts a
    left join sums s on s.account_id = a.id
    where a.debits_pending <> coalesce(s.dp, 0) or a.debits_posted <> coalesce(s.dpo, 0)
       or a.credits_pending <> coalesce(s.cp, 0) or a.credits_posted <> coalesce(s.cpo, 0)
    order by a.id
    limit ${limit + 1}`.execute(db);
  for (const row of capped("balances_match_transfers", mismatches)) {
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
  }

  // Transfers are well formed; a post/void carries exactly its pending transfer's terms.
  type ShapeRow = {
    id: bigint;
    idempotency_key: string;
    debit_account_id: bigint;
    credit_account_id: bigint;
    amount: string;
    phase: string;
    pending_id: bigint | null;
    p_id: bigint | null;
    p_phase: string | null;
    p_debit_account_id: bigint | null;
    p_credit_account_id: bigint | null;
    p_amount: string | null;
    is_debit_missing: boolean;
    is_credit_missing: boolean;
  };
  const { rows: shapes } = await sql<ShapeRow>`
    select t.id, t.idempotency_key, t.debit_account_id, t.credit_account_id, t.amount::text,
           t.phase, t.pending_id,
           p.id as p_id, p.phase as p_phase, p.debit_account_id as p_debit_account_id,
           p.credit_account_id as p_credit_account_id, p.amount::text as p_amount,
           da.id is null as is_debit_missing, ca.id is null as is_credit_missing
    from ledger_transfers t
    left join ledger_transfers p on p.id = t.pending_id
    -- No foreign keys on the hot path (migration 0009): every transfer's accounts exist.
    left join ledger_accounts da on da.id = t.debit_account_id
    left join ledger_accounts ca on ca.id = t.credit_account_id
    where t.amount <= 0
       or t.debit_account_id = t.credit_account_id
       or da.id is null or ca.id is null
       or t.phase not in ('single', 'pending', 'post', 'void')
       or (t.phase in ('post', 'void')) <> (t.pending_id is not null)
       or (t.pending_id is not null and (
             p.id is null or p.phase <> 'pending'
             or p.debit_account_id <> t.debit_account_id
             or p.credit_account_id <> t.credit_account_id
             or p.amount <> t.amount))
    order by t.id
    limit ${limit + 1}`.execute(db);
  for (const row of capped("transfers_well_formed", shapes)) {
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
        malformed(
          "accounts",
          `an existing ${side} account`,
          `account #${id}, which does not exist`,
        );
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
    if (row.pending_id === null) continue;
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
      continue;
    }
    if (row.p_phase !== "pending") {
      mismatch("pending", "a pending transfer", `a ${row.p_phase} transfer`);
      continue;
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
  }

  // (d): unique idempotency keys; each pending transfer resolved at most once.
  const { rows: duplicates } = await sql<{
    tbl: "ledger_transfers" | "rewards";
    key: string;
    ids: string[];
  }>`
    (select 'ledger_transfers' as tbl, idempotency_key as key, array_agg(id::text order by id) as ids
     from ledger_transfers group by idempotency_key having count(*) > 1)
    union all
    (select 'rewards' as tbl, idempotency_key as key, array_agg(id::text order by id) as ids
     from rewards group by idempotency_key having count(*) > 1)
    order by 1, 2
    limit ${limit + 1}`.execute(db);
  for (const row of capped("unique_keys", duplicates)) {
    const ids = row.ids.map(big);
    violations.push({
      kind: "duplicate_key",
      check: "unique_keys",
      table: row.tbl,
      key: row.key,
      ids,
      message: `Idempotency key ${row.key} is used by ${ids.length} rows of ${row.tbl} (ids ${ids.join(", ")}), expected 1.`,
    });
  }

  const { rows: multiResolved } = await sql<{
    pending_id: bigint;
    ids: string[];
    phases: TransferPhase[];
  }>`
    select pending_id, array_agg(id::text order by id) as ids, array_agg(phase order by id) as phases
    from ledger_transfers
    where pending_id is not null
    group by pending_id having count(*) > 1
    order by pending_id
    limit ${limit + 1}`.execute(db);
  for (const row of capped("pending_resolved_once", multiResolved)) {
    const resolutions = row.ids.map((id, i) => ({ transferId: big(id), phase: row.phases[i]! }));
    violations.push({
      kind: "resolved_more_than_once",
      check: "pending_resolved_once",
      pendingId: big(row.pending_id),
      resolutions,
      message: `Pending transfer #${row.pending_id} is resolved ${resolutions.length} times (${resolutions.map((r) => `${r.phase} #${r.transferId}`).join(", ")}), expected at most once.`,
    });
  }

  // (e): rewards agree with the ledger. (The rewards table has no foreign keys, so a
  // reward's user, budget and transfer are checked to exist too.)
  type RewardCheckRow = {
    id: bigint;
    idempotency_key: string;
    user_id: string;
    status: string;
    amount: string;
    budget_id: string | null;
    transfer_id: bigint | null;
    t_id: bigint | null;
    t_phase: TransferPhase | null;
    t_amount: string | null;
    t_debit_account_id: bigint | null;
    t_credit_account_id: bigint | null;
    credit_code: string | null;
    b_id: string | null;
    budget_account_id: bigint | null;
    res_id: bigint | null;
    res_phase: TransferPhase | null;
    user_ok: boolean;
    status_ok: boolean;
    amount_ok: boolean;
    payee_ok: boolean;
    budget_ok: boolean;
  };
  const { rows: rewardRows } = await sql<RewardCheckRow>`
    with joined as (
      select r.id, r.idempotency_key, r.user_id::text as user_id, r.status, r.amount::text as amount,
             r.budget_id, r.transfer_id,
             t.id as t_id, t.phase as t_phase, t.amount::text as t_amount,
             t.debit_account_id as t_debit_account_id, t.credit_account_id as t_credit_account_id,
             ca.code as credit_code, ca.user_id as credit_user_id, ca.kind as credit_kind,
             b.id as b_id, b.account_id as budget_account_id,
             res.id as res_id, res.phase as res_phase,
             exists (select 1 from users u where u.id = r.user_id) as user_ok
      from rewards r
      left join ledger_transfers t on t.id = r.transfer_id
      left join ledger_accounts ca on ca.id = t.credit_account_id
      left join reward_budgets b on b.id = r.budget_id
      left join lateral (
        select x.id, x.phase from ledger_transfers x
        where x.pending_id = t.id order by x.id limit 1
      ) res on true
    ),
    judged as (
      select *,
        coalesce(case status
          when 'held' then t_phase = 'pending' and res_id is null
          when 'available' then t_phase = 'single' or (t_phase = 'pending' and res_phase = 'post')
          when 'reversed' then t_phase = 'pending' and res_phase = 'void'
          when 'refused' then transfer_id is null
          else false end, false) as status_ok,
        (t_id is null or t_amount::numeric = amount::numeric) as amount_ok,
        (t_id is null or coalesce(credit_user_id::text = user_id and credit_kind = 'user_wallet', false)) as payee_ok,
        (b_id is not null and (t_id is null or t_debit_account_id = budget_account_id)) as budget_ok
      from joined
    )
    select id, idempotency_key, user_id, status, amount, budget_id, transfer_id, t_id, t_phase,
           t_amount, t_debit_account_id, t_credit_account_id, credit_code, b_id, budget_account_id,
           res_id, res_phase, user_ok, status_ok, amount_ok, payee_ok, budget_ok
    from judged
    where not (user_ok and status_ok and amount_ok and payee_ok and budget_ok)
    order by id
    limit ${limit + 1}`.execute(db);
  for (const row of capped("rewards_match_ledger", rewardRows)) {
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
    if (transferId === null || row.t_id === null) continue;
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
  }

  // Every reward-paying transfer belongs to exactly one reward.
  const { rows: shared } = await sql<{ transfer_id: bigint; ids: string[] }>`
    select transfer_id, array_agg(id::text order by id) as ids
    from rewards where transfer_id is not null
    group by transfer_id having count(*) > 1
    order by transfer_id
    limit ${limit + 1}`.execute(db);
  for (const row of capped("rewards_match_ledger", shared)) {
    const rewardIds = row.ids.map(big);
    violations.push({
      kind: "reward_transfer_shared",
      check: "rewards_match_ledger",
      transferId: big(row.transfer_id),
      rewardIds,
      message: `Transfer #${row.transfer_id} pays ${rewardIds.length} rewards (${rewardIds.map((id) => `#${id}`).join(", ")}), expected one.`,
    });
  }
  const { rows: orphans } = await sql<{
    id: bigint;
    idempotency_key: string;
    amount: string;
    r_id: bigint | null;
    r_key: string | null;
    r_user_id: string | null;
    r_status: string | null;
  }>`
    select t.id, t.idempotency_key, t.amount::text,
           r.id as r_id, r.idempotency_key as r_key, r.user_id::text as r_user_id, r.status as r_status
    from ledger_transfers t
    left join rewards r on r.idempotency_key = substr(t.idempotency_key, length('reward:') + 1)
                       and t.idempotency_key like 'reward:%'
    where t.kind = 'reward' and t.phase in ('single', 'pending')
      and not exists (select 1 from rewards x where x.transfer_id = t.id)
    order by t.id
    limit ${limit + 1}`.execute(db);
  for (const row of capped("rewards_match_ledger", orphans)) {
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
    violations.push({
      kind: "reward_transfer_orphaned",
      check: "rewards_match_ledger",
      transfer,
      amount: big(row.amount),
      reward,
      message: `${transferLabel(transfer)} pays a reward of ${units(big(row.amount))}, but no reward points to it${reward ? ` (its key names ${rewardLabel(reward)})` : ""}.`,
    });
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
