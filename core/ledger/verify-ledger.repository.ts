import { sql } from "kysely";
import type { Db } from "#db/create-db.ts";
import type { TransferPhase } from "#db/schema.ts";

/*
 * The reads behind verifyLedger: each is one set-based query (no per-account loop) that
 * lists at most `limit` offending rows, in a stable order. They run inside one snapshot
 * opened by the caller.
 */

/** A snapshot that cannot write: verifying must never change what it verifies. */
export async function makeTransactionReadOnly(trx: Db): Promise<void> {
  await sql`set transaction read only`.execute(trx);
}

export type LedgerTotalsRow = {
  accounts: string;
  posted: string;
  pending: string;
  transfers: string;
  rewards: string;
};

/** How many accounts, transfers and rewards there are, and what all balances sum to. */
export async function readLedgerTotals(db: Db): Promise<LedgerTotalsRow> {
  const { rows } = await sql<LedgerTotalsRow>`
    select count(*)::text as accounts,
           coalesce(sum(credits_posted - debits_posted), 0)::text as posted,
           coalesce(sum(credits_pending - debits_pending), 0)::text as pending,
           (select count(*) from ledger_transfers)::text as transfers,
           (select count(*) from rewards)::text as rewards
    from ledger_accounts`.execute(db);
  return rows[0]!;
}

export type AccountBalanceRow = {
  id: bigint;
  code: string;
  must_not_overdraw: boolean;
  debits_pending: string;
  debits_posted: string;
  credits_pending: string;
  credits_posted: string;
};

export async function findNegativeOrOverdrawnAccounts(
  db: Db,
  limit: number,
): Promise<AccountBalanceRow[]> {
  const { rows } = await sql<AccountBalanceRow>`
    select id, code, must_not_overdraw,
           debits_pending::text, debits_posted::text, credits_pending::text, credits_posted::text
    from ledger_accounts
    where debits_pending < 0 or debits_posted < 0 or credits_pending < 0 or credits_posted < 0
       or (must_not_overdraw and debits_posted + debits_pending > credits_posted)
    order by id
    limit ${limit}`.execute(db);
  return rows;
}

export type BalanceMismatchRow = AccountBalanceRow & {
  expected_debits_pending: string;
  expected_debits_posted: string;
  expected_credits_pending: string;
  expected_credits_posted: string;
};

/**
 * Accounts whose stored columns differ from the sums recomputed from their transfers, in
 * one aggregate query: single adds to posted; pending adds to pending; post moves pending
 * to posted; void removes pending.
 */
export async function findAccountsNotMatchingTransfers(
  db: Db,
  limit: number,
): Promise<BalanceMismatchRow[]> {
  const { rows } = await sql<BalanceMismatchRow>`
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
    limit ${limit}`.execute(db);
  return rows;
}

export type TransferShapeRow = {
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

/** Transfers that are malformed, or that resolve a pending transfer on other terms than its own. */
export async function findMalformedTransfers(db: Db, limit: number): Promise<TransferShapeRow[]> {
  const { rows } = await sql<TransferShapeRow>`
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
    limit ${limit}`.execute(db);
  return rows;
}

export type DuplicateKeyRow = { tbl: "ledger_transfers" | "rewards"; key: string; ids: string[] };

/** Idempotency keys used by more than one transfer or more than one reward. */
export async function findDuplicateKeys(db: Db, limit: number): Promise<DuplicateKeyRow[]> {
  const { rows } = await sql<DuplicateKeyRow>`
    (select 'ledger_transfers' as tbl, idempotency_key as key, array_agg(id::text order by id) as ids
     from ledger_transfers group by idempotency_key having count(*) > 1)
    union all
    (select 'rewards' as tbl, idempotency_key as key, array_agg(id::text order by id) as ids
     from rewards group by idempotency_key having count(*) > 1)
    order by 1, 2
    limit ${limit}`.execute(db);
  return rows;
}

export type MultiResolvedRow = { pending_id: bigint; ids: string[]; phases: TransferPhase[] };

/** Pending transfers that more than one post or void names. */
export async function findPendingsResolvedMoreThanOnce(
  db: Db,
  limit: number,
): Promise<MultiResolvedRow[]> {
  const { rows } = await sql<MultiResolvedRow>`
    select pending_id, array_agg(id::text order by id) as ids, array_agg(phase order by id) as phases
    from ledger_transfers
    where pending_id is not null
    group by pending_id having count(*) > 1
    order by pending_id
    limit ${limit}`.execute(db);
  return rows;
}

export type RewardCheckRow = {
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

/**
 * Rewards whose user, status, amount, payee or budget disagree with the ledger, judged in
 * the query. (The rewards table has no foreign keys, so a reward's user, budget and
 * transfer are checked to exist too.)
 */
export async function findRewardsDisagreeingWithLedger(
  db: Db,
  limit: number,
): Promise<RewardCheckRow[]> {
  const { rows } = await sql<RewardCheckRow>`
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
    limit ${limit}`.execute(db);
  return rows;
}

export type SharedRewardTransferRow = { transfer_id: bigint; ids: string[] };

/** Transfers that more than one reward points to. */
export async function findTransfersPayingSeveralRewards(
  db: Db,
  limit: number,
): Promise<SharedRewardTransferRow[]> {
  const { rows } = await sql<SharedRewardTransferRow>`
    select transfer_id, array_agg(id::text order by id) as ids
    from rewards where transfer_id is not null
    group by transfer_id having count(*) > 1
    order by transfer_id
    limit ${limit}`.execute(db);
  return rows;
}

export type OrphanedRewardTransferRow = {
  id: bigint;
  idempotency_key: string;
  amount: string;
  r_id: bigint | null;
  r_key: string | null;
  r_user_id: string | null;
  r_status: string | null;
};

/** Reward-paying transfers no reward points to, with the reward their key names if any. */
export async function findOrphanedRewardTransfers(
  db: Db,
  limit: number,
): Promise<OrphanedRewardTransferRow[]> {
  const { rows } = await sql<OrphanedRewardTransferRow>`
    select t.id, t.idempotency_key, t.amount::text,
           r.id as r_id, r.idempotency_key as r_key, r.user_id::text as r_user_id, r.status as r_status
    from ledger_transfers t
    left join rewards r on r.idempotency_key = substr(t.idempotency_key, length('reward:') + 1)
                       and t.idempotency_key like 'reward:%'
    where t.kind = 'reward' and t.phase in ('single', 'pending')
      and not exists (select 1 from rewards x where x.transfer_id = t.id)
    order by t.id
    limit ${limit}`.execute(db);
  return rows;
}
