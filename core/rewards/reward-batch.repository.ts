import { sql } from "kysely";
import { type AccountBalances, toAccountBalances } from "#core/ledger/accounts.repository.ts";
import { asLedgerError, statementRefusal } from "#core/ledger/ledger-error.ts";
import { balanceMove } from "#core/ledger/transfers.repository.ts";
import { newTransfersInsert, type NewTransferRequest } from "#core/ledger/transfers.service.ts";
import type { Db } from "#db/create-db.ts";
import { preparedAs } from "#db/prepared-statements.ts";
import type { RecordedReward } from "./decide-rewards.ts";
import {
  toRewardBudget,
  toRewardRule,
  type RewardBudget,
  type RewardRule,
  type RuleColumns,
} from "./reward-rules.repository.ts";
import type { RiskSignal } from "#core/integrity/risk-signals.ts";
import type { RewardReason } from "./reward-types.ts";

/** Another batch got in the way (a duplicate key, a cap or budget race): run again, locking first. */
export class RetryBatch extends Error {}

/** A rule joined with its budget and the budget's balances, as json_agg returns it. */
type JsonRuleRow = RuleColumns & {
  budget_name: string;
  budget_kind: "daily_emission" | "escrow";
  daily_amount: string | null;
  account_id: string;
  code: string;
  debits_pending: string;
  debits_posted: string;
  credits_pending: string;
  credits_posted: string;
};

function rulesFromRows(rows: JsonRuleRow[]) {
  const rules = new Map<string, RewardRule>();
  const budgets = new Map<string, RewardBudget>();
  const budgetBalances = new Map<bigint, AccountBalances>();
  for (const row of rows) {
    rules.set(row.action_kind, toRewardRule(row));
    const budget = toRewardBudget({
      ...row,
      id: row.budget_id,
      name: row.budget_name,
      kind: row.budget_kind,
    });
    budgets.set(budget.id, budget);
    budgetBalances.set(
      budget.accountId,
      toAccountBalances({
        ...row,
        id: budget.accountId,
        kind: "budget",
        user_id: null,
        must_not_overdraw: true,
      }),
    );
  }
  return { rules, budgets, budgetBalances };
}

type JsonRewardRow = Omit<RecordedReward, "id" | "hold_until" | "created_at"> & {
  id: string;
  hold_until: string | null;
  created_at: string;
};

const rewardJson = sql`json_build_object(
  'id', id::text, 'idempotency_key', idempotency_key, 'user_id', user_id,
  'action_kind', action_kind, 'target_key', target_key, 'memo', memo,
  'amount', amount::text, 'status', status, 'reason_code', reason_code, 'reason', reason,
  'hold_until', hold_until, 'created_at', created_at)`;

function rewardRowFromJson(row: JsonRewardRow): RecordedReward {
  return {
    ...row,
    id: BigInt(row.id),
    hold_until: row.hold_until === null ? null : new Date(row.hold_until),
    created_at: new Date(row.created_at),
  };
}

/**
 * The rules (with their budgets and the budgets' balances), existing rewards by key,
 * today's cap counts and unknown users' ages: one round trip, no locks.
 */
export async function readRewardBatch(
  db: Db,
  wanted: { kinds: string[]; keys: string[]; counterKeys: string[]; userIds: string[] },
) {
  const { rows } = await sql<{
    rules: JsonRuleRow[] | null;
    existing: JsonRewardRow[] | null;
    counters: { key: string; count: number }[] | null;
    users: { id: string; created_at: string }[] | null;
  }>`${preparedAs("reward-batch-read")}
    select
      (select json_agg(json_build_object(
          'action_kind', r.action_kind, 'label', r.label, 'amount', r.amount::text,
          'daily_cap', r.daily_cap, 'per_target_daily_cap', r.per_target_daily_cap,
          'hold_seconds', r.hold_seconds, 'budget_id', r.budget_id, 'is_enabled', r.is_enabled,
          'updated_at', r.updated_at, 'budget_name', b.name, 'budget_kind', b.kind,
          'daily_amount', b.daily_amount::text, 'account_id', b.account_id::text, 'code', a.code,
          'debits_pending', a.debits_pending::text, 'debits_posted', a.debits_posted::text,
          'credits_pending', a.credits_pending::text, 'credits_posted', a.credits_posted::text))
        from reward_rules r
        join reward_budgets b on b.id = r.budget_id
        join ledger_accounts a on a.id = b.account_id
        where r.action_kind = any(${sql.val(wanted.kinds)}::text[])) as rules,
      (select json_agg(${rewardJson}) from rewards
        where idempotency_key = any(${sql.val(wanted.keys)}::text[])) as existing,
      (select json_agg(json_build_object('key', key, 'count', count)) from reward_counters
        where key = any(${sql.val(wanted.counterKeys)}::text[])) as counters,
      (select json_agg(json_build_object('id', id, 'created_at', created_at)) from users
        where id = any(${sql.val(wanted.userIds)}::uuid[])) as users`.execute(db);
  const row = rows[0]!;
  return {
    ...rulesFromRows(row.rules ?? []),
    existing: new Map(
      (row.existing ?? []).map((r) => [r.idempotency_key, rewardRowFromJson(r)] as const),
    ),
    counts: new Map((row.counters ?? []).map((c) => [c.key, c.count] as const)),
    users: new Map((row.users ?? []).map((u) => [u.id, new Date(u.created_at)] as const)),
  };
}

/**
 * Creates today's cap counters that do not exist yet and locks them all, in key order;
 * returns their counts. Inside a transaction: the locks last until it commits.
 */
export async function lockRewardCounters(
  trx: Db,
  counterKeys: readonly string[],
  today: string,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (counterKeys.length === 0) return counts;
  await sql`
    insert into reward_counters (key, count, day)
    select key, 0, ${today}::date from unnest(${sql.val(counterKeys)}::text[]) as c(key)
    on conflict (key) do nothing`.execute(trx);
  const { rows } = await sql<{ key: string; count: number }>`
    select key, count from reward_counters
    where key = any(${sql.val(counterKeys)}::text[])
    order by key for update`.execute(trx);
  for (const row of rows) counts.set(row.key, row.count);
  return counts;
}

/** Whether a transfer was recorded under this idempotency key (e.g. a day's emission). */
export async function hasTransfer(db: Db, key: string): Promise<boolean> {
  const row = await db
    .selectFrom("ledger_transfers")
    .select("id")
    .where("idempotency_key", "=", key)
    .executeTakeFirst();
  return row !== undefined;
}

/** A reward as the batch writes it: decided, not yet numbered. */
export type RewardToWrite = {
  key: string;
  userId: string;
  actionKind: string;
  targetKey: string | null;
  memo: string;
  amount: bigint;
  status: "held" | "available" | "refused";
  reason: RewardReason | null;
  budgetId: string;
  transferKey: string | null;
  holdUntil: Date | null;
  /** The risk signals that hold it for review, recorded beside it. */
  signals: RiskSignal[];
};

/**
 * A batch's writes in one statement: its transfers (through the ledger's own insert),
 * its reward rows linked to them and their risk signals, its cap counters, and then (through the ledger's own
 * balance move, once the counters are locked) the balances of the users' accounts and
 * last of the shared ones (the budget). The statement checks what it wrote against what
 * it was asked to write and aborts on any difference (`RetryBatch`), so it is safe as its
 * own transaction: balances moved for a transfer that another batch had written, or a cap
 * another batch used up meanwhile, never commit.
 */
export async function writeRewardBatch(
  db: Db,
  batch: {
    transfers: NewTransferRequest[];
    rewards: RewardToWrite[];
    /** Each counter's increment and the most it may reach. */
    counters: { key: string; count: number; cap: number }[];
    now: Date;
    today: string;
  },
): Promise<RecordedReward[]> {
  const d = batch.rewards;
  const signals = d.flatMap((x) => x.signals.map((signal) => ({ key: x.key, ...signal })));
  const move = balanceMove(batch.transfers, sql`(select count(*) from c) >= 0`);
  const statement = sql<{ rewards: [string, string][] | null }>`${preparedAs("reward-batch-write")}
    with t as (${newTransfersInsert(batch.transfers)}),
    r as (
      insert into rewards
        (idempotency_key, user_id, action_kind, target_key, memo, amount, status,
         reason_code, reason, budget_id, transfer_id, hold_until, created_at)
      select u.key, u.user_id, u.action_kind, u.target_key, u.memo, u.amount, u.status,
             u.reason_code, u.reason, u.budget_id, t.id, u.hold_until, ${batch.now.toISOString()}::timestamptz
      from unnest(
        ${sql.val(d.map((x) => x.key))}::text[],
        ${sql.val(d.map((x) => x.userId))}::uuid[],
        ${sql.val(d.map((x) => x.actionKind))}::text[],
        ${sql.val(d.map((x) => x.targetKey))}::text[],
        ${sql.val(d.map((x) => x.memo))}::text[],
        ${sql.val(d.map((x) => x.amount.toString()))}::numeric[],
        ${sql.val(d.map((x) => x.status))}::text[],
        ${sql.val(d.map((x) => x.reason?.code ?? null))}::text[],
        ${sql.val(d.map((x) => x.reason?.message ?? null))}::text[],
        ${sql.val(d.map((x) => x.budgetId))}::text[],
        ${sql.val(d.map((x) => x.transferKey))}::text[],
        ${sql.val(d.map((x) => x.holdUntil?.toISOString() ?? null))}::timestamptz[]
      ) as u(key, user_id, action_kind, target_key, memo, amount, status,
             reason_code, reason, budget_id, transfer_key, hold_until)
      left join t on t.idempotency_key = u.transfer_key
      -- A reward whose transfer another batch already wrote is skipped here; the row
      -- count below then aborts the statement.
      where u.transfer_key is null or t.id is not null
      on conflict (idempotency_key) do nothing
      returning id, idempotency_key
    ),
    s as (
      insert into reward_risk_signals (reward_id, code, message, engager_id, raised_at)
      select r.id, x.code, x.message, x.engager_id, ${batch.now.toISOString()}::timestamptz
      from unnest(
        ${sql.val(signals.map((x) => x.key))}::text[],
        ${sql.val(signals.map((x) => x.code))}::text[],
        ${sql.val(signals.map((x) => x.message))}::text[],
        ${sql.val(signals.map((x) => x.engagerId ?? null))}::uuid[]
      ) as x(key, code, message, engager_id)
      join r on r.idempotency_key = x.key
      returning reward_id
    ),
    wanted_counters as (
      select * from unnest(${sql.val(batch.counters.map((c) => c.key))}::text[],
                           ${sql.val(batch.counters.map((c) => c.count))}::int[],
                           ${sql.val(batch.counters.map((c) => c.cap))}::int[]) as w(key, count, cap)
    ),
    c as (
      insert into reward_counters (key, count, day)
      select key, count, ${batch.today}::date from wanted_counters
      on conflict (key) do update set count = reward_counters.count + excluded.count
      returning key, count
    ),
    ${move.ctes},
    ${move.sharedCtes}
    select
      case
        -- Fewer rows than asked for: a concurrent batch recorded or paid one of these.
        when (select count(*) from t) <> ${batch.transfers.length}
          or (select count(*) from r) <> ${d.length}
          then refuse_statement('retry_batch: a concurrent batch recorded one of these rewards')
        when exists (select 1 from c join wanted_counters w using (key) where c.count > w.cap)
          then refuse_statement('retry_batch: a concurrent batch used up a cap')
      end as refused,
      ${move.refusedUnlessAllMoved} as accounts_refused,
      (select json_agg(json_build_array(id::text, idempotency_key)) from r) as rewards`;
  let row: { rewards: [string, string][] | null };
  try {
    row = (await asLedgerError(() => statement.execute(db))).rows[0]!;
  } catch (error) {
    const refusal = statementRefusal(error);
    if (refusal?.startsWith("retry_batch")) throw new RetryBatch(refusal);
    throw error;
  }
  // Only ids come back: everything else was decided here, so nothing is re-parsed.
  const decided = new Map(d.map((x) => [x.key, x]));
  return (row.rewards ?? []).map(([id, key]): RecordedReward => {
    const x = decided.get(key)!;
    return {
      id: BigInt(id),
      idempotency_key: key,
      user_id: x.userId,
      action_kind: x.actionKind,
      target_key: x.targetKey,
      memo: x.memo,
      amount: x.amount.toString(),
      status: x.status,
      reason_code: x.reason?.code ?? null,
      reason: x.reason?.message ?? null,
      hold_until: x.holdUntil,
      created_at: batch.now,
    };
  });
}
