import { sql } from "kysely";
import { parseUserId, type UserId } from "#core/auth/ids.ts";
import {
  type AccountBalances,
  accountCodes,
  ensureAccounts,
  lockAccounts,
  mintAccount,
  spendable,
  toAccountBalances,
  userWalletAccount,
} from "#core/ledger/accounts.repository.ts";
import { isRetryableConflict, LedgerError, statementRefusal } from "#core/ledger/ledger-error.ts";
import {
  asLedgerError,
  balanceMove,
  newTransfersInsert,
  recordTransfers,
  type NewTransferRequest,
} from "#core/ledger/transfers.ts";
import { err, ok, type Result } from "#core/result.ts";
import type { Db } from "#db/create-db.ts";
import { preparedAs } from "#db/prepared-statements.ts";
import {
  toRewardBudget,
  toRewardRule,
  type RewardBudget,
  type RewardRule,
  type RuleColumns,
} from "./reward-rules.repository.ts";
import {
  rewardKey,
  type RewardError,
  type RewardOutcome,
  type RewardReason,
  type RewardRequest,
} from "./reward-types.ts";

export type RewardEngineOptions = {
  /** Most rewards written by one transaction. */
  maxBatchSize?: number;
  /** Batches written at the same time (each on its own connection); 1 by default. */
  maxInFlight?: number;
  /** Accounts younger than this have their rewards held for review this long. */
  newAccountReviewMs?: number;
  now?: () => Date;
  /** Called after each commit with the rewards it granted (for live notifications). */
  onGranted?: (outcomes: RewardOutcome[]) => void;
};

type Pending = {
  request: RewardRequest;
  key: string;
  resolve: (result: Result<RewardOutcome, RewardError>) => void;
  reject: (error: unknown) => void;
};

/** Another batch got in the way (a duplicate key, a cap or budget race): run again, locking first. */
class RetryBatch extends Error {}

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_MEMO = 200;
const MAX_CAUSE = 200;
const kindPattern = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;
const CACHE_LIMIT = 100_000;

function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** A Map that forgets everything when it grows past its limit: enough for hot-path lookups. */
class BoundedCache<K, V> extends Map<K, V> {
  override set(key: K, value: V): this {
    if (this.size >= CACHE_LIMIT) this.clear();
    return super.set(key, value);
  }
}

function validateRequest(request: RewardRequest): RewardError | null {
  if (
    typeof request.actionKind !== "string" ||
    !kindPattern.test(request.actionKind) ||
    request.actionKind.length > 40
  ) {
    return {
      code: "invalid_request",
      message: `"${String(request.actionKind)}" is not an action kind.`,
    };
  }
  if (typeof request.userId !== "string" || parseUserId(request.userId) === null) {
    return { code: "invalid_request", message: "The user id is not valid." };
  }
  if (
    typeof request.causeId !== "string" ||
    request.causeId.length === 0 ||
    request.causeId.length > MAX_CAUSE
  ) {
    return { code: "invalid_request", message: `A cause id has 1–${MAX_CAUSE} characters.` };
  }
  if (
    typeof request.memo !== "string" ||
    request.memo.trim().length === 0 ||
    request.memo.length > MAX_MEMO
  ) {
    return { code: "invalid_request", message: `A memo has 1–${MAX_MEMO} characters.` };
  }
  if (
    request.targetKey != null &&
    (typeof request.targetKey !== "string" || request.targetKey.length > MAX_CAUSE)
  ) {
    return {
      code: "invalid_request",
      message: `A target key has at most ${MAX_CAUSE} characters.`,
    };
  }
  if (
    request.shareThousandths !== undefined &&
    (!Number.isInteger(request.shareThousandths) ||
      request.shareThousandths < 1 ||
      request.shareThousandths > 1000)
  ) {
    return {
      code: "invalid_request",
      message: "A share is a whole number of thousandths, 1–1000.",
    };
  }
  if (
    request.dailyCapBonus !== undefined &&
    (!Number.isInteger(request.dailyCapBonus) ||
      request.dailyCapBonus < 0 ||
      request.dailyCapBonus > 1000)
  ) {
    return {
      code: "invalid_request",
      message: "A daily cap bonus is a whole number, 0–1000.",
    };
  }
  return null;
}

type RewardRow = {
  id: bigint;
  idempotency_key: string;
  user_id: string;
  action_kind: string;
  target_key: string | null;
  memo: string;
  amount: string;
  status: RewardOutcome["status"];
  reason_code: RewardReason["code"] | null;
  reason: string | null;
  hold_until: Date | null;
  created_at: Date;
};

export function outcomeFromRow(row: RewardRow, isReplay: boolean): RewardOutcome {
  return {
    rewardId: BigInt(row.id),
    key: row.idempotency_key,
    userId: row.user_id as UserId,
    actionKind: row.action_kind,
    status: row.status,
    amount: BigInt(row.amount),
    holdUntil: row.hold_until,
    reason: row.reason_code && row.reason ? { code: row.reason_code, message: row.reason } : null,
    memo: row.memo,
    createdAt: row.created_at,
    isReplay,
  };
}

function describeHold(until: Date, now: Date): string {
  const days = Math.ceil((until.getTime() - now.getTime()) / DAY_MS);
  return days <= 1 ? "within a day" : `in ${days} days`;
}

/**
 * Records rewards exactly once, grouping concurrent calls into shared transactions
 * (as TigerBeetle batches transfers) and writing each batch with multi-row statements.
 *
 * A batch reads rules, caps and budget balances without locks, decides every reward in
 * order, and writes everything in one statement that is its own transaction: transfers,
 * rewards and cap counters, and only then the accounts it pays into and from (the budget
 * last) to move balances. The hot budget row is therefore locked for a moment, from its
 * update to the statement's commit. Anything another writer changed in between — a
 * duplicate key, a cap or a budget that ran low — is detected by the statement itself,
 * which then aborts, and the batch runs again in a transaction that locks what it decides
 * on first. Concurrent duplicates produce one reward; a replay returns the original.
 */
export class RewardEngine {
  private queue: Pending[] = [];
  private inFlight = 0;
  private isPumpScheduled = false;
  private readonly maxBatchSize: number;
  private readonly maxInFlight: number;
  private readonly newAccountReviewMs: number;
  /** The engine's clock: caps and holds count by it, so callers keying by day use it too. */
  readonly now: () => Date;
  private readonly onGranted: ((outcomes: RewardOutcome[]) => void) | undefined;
  private readonly toppedUp = new Map<string, string>();
  // Both facts never change once written, so caching them saves two queries a batch.
  private readonly userCreatedAt = new BoundedCache<string, Date>();
  private readonly walletAccountIds = new BoundedCache<string, bigint>();
  /** Batches committed and the rewards they carried (the benchmark reports the mean). */
  readonly stats = { batches: 0, rewards: 0 };

  constructor(
    private readonly db: Db,
    options: RewardEngineOptions = {},
  ) {
    this.maxBatchSize = options.maxBatchSize ?? 256;
    this.maxInFlight = options.maxInFlight ?? 1;
    this.newAccountReviewMs = options.newAccountReviewMs ?? 3 * DAY_MS;
    this.now = options.now ?? (() => new Date());
    this.onGranted = options.onGranted;
  }

  /** Pays for one action, once. Expected failures come back as values. */
  reward(request: RewardRequest): Promise<Result<RewardOutcome, RewardError>> {
    const invalid = validateRequest(request);
    if (invalid) return Promise.resolve(err(invalid));
    return new Promise((resolve, reject) => {
      this.queue.push({
        request,
        key: rewardKey(request.actionKind, request.causeId),
        resolve,
        reject,
      });
      this.schedulePump();
    });
  }

  private schedulePump() {
    if (this.isPumpScheduled) return;
    this.isPumpScheduled = true;
    // Let every call made in this turn of the event loop join the batch.
    setImmediate(() => {
      this.isPumpScheduled = false;
      this.pump();
    });
  }

  private pump() {
    while (this.queue.length > 0 && this.inFlight < this.maxInFlight) {
      // With more than one slot, the waiting calls are spread over the free ones. One slot
      // (the default) is group commit: a batch takes every waiting call. Measured
      // 2026-12-04, 16, 32 and 64 callers: one batch in flight beats two by 10-30%, since a
      // batch's fixed cost (its statements, the commit's flush, locks the other batch
      // holds) is then paid once for all the callers. Two won while a reward cost ~260 µs.
      const size = Math.min(
        this.maxBatchSize,
        Math.ceil(this.queue.length / (this.maxInFlight - this.inFlight)),
      );
      const batch = this.queue.splice(0, size);
      this.inFlight++;
      void this.runBatch(batch).finally(() => {
        this.inFlight--;
        if (this.queue.length > 0) this.pump();
      });
    }
  }

  private async runBatch(batch: Pending[]): Promise<void> {
    let isPessimistic = false;
    for (let attempt = 1; ; attempt++) {
      try {
        // Optimistic: autocommit statements (the read, wallets still missing, which are
        // permanent so committing them at once is harmless, and the write, which checks
        // itself). Two round trips in all, where a transaction needs five.
        const { results, granted, toppedUp, newWalletIds } = isPessimistic
          ? await this.db.transaction().execute((trx) => this.writeBatch(trx, batch, true))
          : await this.writeBatch(this.db, batch, false);
        // Remembered only once committed: rolled-back rows do not exist.
        for (const [budgetId, day] of toppedUp) this.toppedUp.set(budgetId, day);
        for (const [userId, id] of newWalletIds) this.walletAccountIds.set(userId, id);
        this.stats.batches += 1;
        this.stats.rewards += batch.length;
        batch.forEach((item, i) => item.resolve(results[i]!));
        if (granted.length > 0) this.onGranted?.(granted);
        return;
      } catch (error) {
        const isContention =
          error instanceof RetryBatch ||
          isRetryableConflict(error) ||
          (error instanceof LedgerError && error.code === "insufficient_funds");
        if (attempt < 6 && isContention) {
          isPessimistic = true;
          continue;
        }
        if (batch.length > 1) {
          // One bad request must not fail its neighbours: retry each on its own.
          await Promise.all(batch.map((item) => this.runBatch([item])));
          return;
        }
        batch[0]!.reject(error);
        return;
      }
    }
  }

  private async writeBatch(
    /** A transaction when pessimistic; else the pool, each statement on its own. */
    db: Db,
    batch: Pending[],
    isPessimistic: boolean,
  ): Promise<{
    results: Result<RewardOutcome, RewardError>[];
    granted: RewardOutcome[];
    toppedUp: Map<string, string>;
    newWalletIds: Map<string, bigint>;
  }> {
    const now = this.now();
    const today = utcDay(now);
    const results: (Result<RewardOutcome, RewardError> | undefined)[] = new Array(batch.length);

    // Caps: today's counts for every (user, kind) and (user, kind, target) in the batch.
    const dailyKey = (r: RewardRequest) => `d:${r.userId}:${r.actionKind}:${today}`;
    const targetKey = (r: RewardRequest) => `t:${r.userId}:${r.actionKind}:${r.targetKey}:${today}`;
    const counterKeySet = new Set<string>();
    for (const item of batch) {
      counterKeySet.add(dailyKey(item.request));
      if (item.request.targetKey) counterKeySet.add(targetKey(item.request));
    }
    const counterKeys = [...counterKeySet].sort();
    // Everything the decisions need, in one round trip and without locks.
    const snapshot = await readBatchState(db, {
      kinds: [...new Set(batch.map((b) => b.request.actionKind))],
      keys: [...new Set(batch.map((b) => b.key))],
      counterKeys: isPessimistic ? [] : counterKeys,
      userIds: [...new Set(batch.map((b) => b.request.userId))].filter(
        (id) => !this.userCreatedAt.has(id),
      ),
    });
    const { rules, budgets, budgetBalances } = snapshot;
    batch.forEach((item, i) => {
      if (!rules.has(item.request.actionKind)) {
        results[i] = err({
          code: "unknown_action",
          message: `No reward rule for "${item.request.actionKind}".`,
        });
      }
    });
    const budgetAccountIds = [...budgets.values()].map((b) => b.accountId);
    const live = batch.filter((_, i) => !results[i]);
    const counts = new Map<string, number>();
    const newWalletIds = new Map<string, bigint>();
    let budgetAccounts: Map<bigint, AccountBalances>;
    const existing = snapshot.existing;
    for (const [id, createdAt] of snapshot.users) this.userCreatedAt.set(id, createdAt);
    if (!isPessimistic) {
      // Optimistic: everything above was read without locks; the writes below detect
      // any interference and retry.
      for (const [key, count] of snapshot.counts) counts.set(key, count);
      budgetAccounts = budgetBalances;
    } else {
      // After a conflict: lock everything this batch decides on before deciding, in the
      // global order every writer uses (cap counters, users' accounts, then budgets).
      if (counterKeys.length > 0) {
        await sql`
          insert into reward_counters (key, count, day)
          select key, 0, ${today}::date from unnest(${sql.val(counterKeys)}::text[]) as c(key)
          on conflict (key) do nothing`.execute(db);
        const { rows } = await sql<{ key: string; count: number }>`
          select key, count from reward_counters
          where key = any(${sql.val(counterKeys)}::text[])
          order by key for update`.execute(db);
        for (const row of rows) counts.set(row.key, row.count);
      }
      const wallets = await this.walletAccounts(
        db,
        live.filter((b) => this.userCreatedAt.has(b.request.userId)).map((b) => b.request.userId),
        newWalletIds,
      );
      await lockAccounts(db, [...wallets.values()], "users");
      budgetAccounts = new Map((await lockAccounts(db, budgetAccountIds)).map((a) => [a.id, a]));
    }
    if (!isPessimistic && [...budgets.values()].some((b) => this.isTopUpDue(b, today))) {
      throw new RetryBatch("the day's emission is due: top up under the lock");
    }
    const toppedUp = await this.topUpDailyBudgets(db, [...budgets.values()], today, budgetAccounts);
    const counterIncrements = new Map<string, { count: number; cap: number }>();
    const bump = (key: string, cap: number | null) => {
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const current = counterIncrements.get(key);
      // Requests in one batch may carry different cap bonuses: the loosest bounds the check.
      counterIncrements.set(key, {
        count: (current?.count ?? 0) + 1,
        cap: Math.max(cap ?? 2_000_000_000, current?.cap ?? 0),
      });
    };

    type Decision = {
      index: number;
      item: Pending;
      rule: RewardRule;
      budget: RewardBudget;
      /** The rule's amount scaled by the request's share. */
      amount: bigint;
      status: "held" | "available" | "refused";
      reason: RewardReason | null;
      holdUntil: Date | null;
    };
    const decisions: Decision[] = [];
    const firstOfKey = new Map<string, number>();
    const remaining = new Map([...budgetAccounts.values()].map((a) => [a.id, spendable(a)]));

    batch.forEach((item, index) => {
      if (results[index]) return;
      const request = item.request;
      const original = existing.get(item.key);
      if (original) {
        results[index] =
          original.user_id === request.userId
            ? ok(outcomeFromRow(original, true))
            : err({
                code: "idempotency_conflict",
                message: `Reward ${item.key} was already recorded for another user.`,
              });
        return;
      }
      const createdAt = this.userCreatedAt.get(request.userId);
      if (!createdAt) {
        results[index] = err({ code: "unknown_user", message: "No such user." });
        return;
      }
      const earlier = firstOfKey.get(item.key);
      if (earlier !== undefined) {
        if (batch[earlier]!.request.userId !== request.userId) {
          results[index] = err({
            code: "idempotency_conflict",
            message: `Reward ${item.key} was already recorded for another user.`,
          });
        }
        // Otherwise a duplicate inside this batch: resolved from the first one below.
        return;
      }
      firstOfKey.set(item.key, index);
      const rule = rules.get(request.actionKind)!;
      const budget = budgets.get(rule.budgetId)!;
      const scaled = (rule.amount * BigInt(request.shareThousandths ?? 1000)) / 1000n;
      // A share never rounds a paying rule down to nothing.
      const amount = scaled === 0n && rule.amount > 0n ? 1n : scaled;
      const decide = (
        status: Decision["status"],
        reason: RewardReason | null,
        holdUntil: Date | null,
      ) => decisions.push({ index, item, rule, budget, amount, status, reason, holdUntil });

      if (!rule.isEnabled) {
        return decide(
          "refused",
          { code: "rule_disabled", message: `Rewards for ${rule.label} are paused.` },
          null,
        );
      }
      const dailyCap = rule.dailyCap === null ? null : rule.dailyCap + (request.dailyCapBonus ?? 0);
      if (dailyCap !== null && (counts.get(dailyKey(request)) ?? 0) >= dailyCap) {
        return decide(
          "refused",
          {
            code: "daily_cap",
            message: `Daily cap for ${rule.label} reached — resets at 00:00 UTC.`,
          },
          null,
        );
      }
      if (
        rule.perTargetDailyCap !== null &&
        request.targetKey &&
        (counts.get(targetKey(request)) ?? 0) >= rule.perTargetDailyCap
      ) {
        return decide(
          "refused",
          {
            code: "target_cap",
            message: `Daily cap for ${rule.label} from the same source reached — resets at 00:00 UTC.`,
          },
          null,
        );
      }
      const left = remaining.get(budget.accountId) ?? 0n;
      if (left < amount) {
        const resets = budget.kind === "daily_emission" ? " — resets at 00:00 UTC" : "";
        return decide(
          "refused",
          { code: "budget_exhausted", message: `The ${budget.name} has run out${resets}.` },
          null,
        );
      }
      remaining.set(budget.accountId, left - amount);
      bump(dailyKey(request), dailyCap);
      if (request.targetKey) bump(targetKey(request), rule.perTargetDailyCap);

      const isNewAccount = now.getTime() - createdAt.getTime() < this.newAccountReviewMs;
      let holdMs = rule.holdSeconds * 1000;
      let reason: RewardReason | null = null;
      if (isNewAccount && holdMs < this.newAccountReviewMs) {
        holdMs = this.newAccountReviewMs;
        const until = new Date(now.getTime() + holdMs);
        reason = {
          code: "new_account_review",
          message: `Held for review: new account, releases ${describeHold(until, now)} unless disputed.`,
        };
      } else if (holdMs > 0) {
        const until = new Date(now.getTime() + holdMs);
        reason = {
          code: "hold_period",
          message: `Pending while it can still be undone; releases ${describeHold(until, now)}.`,
        };
      }
      decide(
        holdMs > 0 ? "held" : "available",
        reason,
        holdMs > 0 ? new Date(now.getTime() + holdMs) : null,
      );
    });

    // Writes, in one statement: transfers, rewards and counters, then the balances. The
    // account locks come last, so the budget row is locked from there to commit only; if
    // another writer drew it down meanwhile, the no-overdraft check throws and we retry.
    // A budget refusal read from an unlocked (possibly stale) balance could refuse what a
    // top-up or a reversal just made payable; such a refusal is final, so decide it locked.
    if (!isPessimistic && decisions.some((d) => d.reason?.code === "budget_exhausted")) {
      throw new RetryBatch("a budget looks exhausted: decide under the lock");
    }
    const granted = decisions.filter((d) => d.status !== "refused");
    const walletIds = await this.walletAccounts(
      db,
      granted.map((d) => d.item.request.userId),
      newWalletIds,
    );
    const transferRequests = granted.map((d): NewTransferRequest => ({
      phase: d.status === "held" ? "pending" : "single",
      key: `reward:${d.item.key}`,
      debitAccountId: d.budget.accountId,
      creditAccountId: walletIds.get(d.item.request.userId)!,
      amount: d.amount,
      kind: "reward",
      memo: d.item.request.memo,
    }));
    // Counters sorted, so concurrent batches lock shared counters in the same order.
    const counterEntries = [...counterIncrements.entries()].sort(([x], [y]) => (x < y ? -1 : 1));
    const rewardRows = decisions.length
      ? await writeRewards(db, {
          transfers: transferRequests,
          decisions: decisions.map((d) => ({
            key: d.item.key,
            userId: d.item.request.userId,
            actionKind: d.rule.actionKind,
            targetKey: d.item.request.targetKey ?? null,
            memo: d.item.request.memo,
            amount: d.amount,
            status: d.status,
            reason: d.reason,
            budgetId: d.budget.id,
            transferKey: d.status === "refused" ? null : `reward:${d.item.key}`,
            holdUntil: d.holdUntil,
          })),
          counters: counterEntries.map(([key, c]) => ({ key, count: c.count, cap: c.cap })),
          now,
          today,
        })
      : [];
    const byKey = new Map(
      rewardRows.map((row) => [row.idempotency_key, outcomeFromRow(row, false)]),
    );
    batch.forEach((item, index) => {
      if (results[index]) return;
      const outcome = byKey.get(item.key)!;
      results[index] = ok(
        firstOfKey.get(item.key) === index ? outcome : { ...outcome, isReplay: true },
      );
    });
    return {
      results: results as Result<RewardOutcome, RewardError>[],
      granted: [...byKey.values()].filter((o) => o.status !== "refused"),
      toppedUp,
      newWalletIds,
    };
  }

  /** Wallet account ids by user; the ones created here are cached only after commit. */
  private async walletAccounts(
    trx: Db,
    userIds: string[],
    created: Map<string, bigint>,
  ): Promise<Map<string, bigint>> {
    const result = new Map<string, bigint>();
    const missing: string[] = [];
    for (const userId of new Set(userIds)) {
      const id = this.walletAccountIds.get(userId);
      if (id === undefined) missing.push(userId);
      else result.set(userId, id);
    }
    if (missing.length > 0) {
      const ids = await ensureAccounts(trx, missing.map(userWalletAccount));
      for (const userId of missing) {
        const id = ids.get(accountCodes.userWallet(userId))!;
        result.set(userId, id);
        created.set(userId, id);
      }
    }
    return result;
  }

  private isTopUpDue(budget: RewardBudget, today: string): boolean {
    return (
      budget.kind === "daily_emission" &&
      budget.dailyAmount !== null &&
      this.toppedUp.get(budget.id) !== today
    );
  }

  /** A daily emission budget starts each UTC day with exactly its daily amount available. */
  private async topUpDailyBudgets(
    trx: Db,
    budgets: RewardBudget[],
    today: string,
    accounts: Map<bigint, AccountBalances>,
  ): Promise<Map<string, string>> {
    const done = new Map<string, string>();
    for (const budget of budgets) {
      if (!this.isTopUpDue(budget, today) || budget.dailyAmount === null) continue;
      const account = accounts.get(budget.accountId)!;
      const shortfall = budget.dailyAmount - spendable(account);
      const key = `emission:${budget.id}:${today}`;
      const alreadyDone = await trx
        .selectFrom("ledger_transfers")
        .select("id")
        .where("idempotency_key", "=", key)
        .executeTakeFirst();
      if (!alreadyDone && shortfall > 0n) {
        const mintId = (await ensureAccounts(trx, [mintAccount])).get(mintAccount.code)!;
        await recordTransfers(trx, [
          {
            phase: "single",
            key,
            debitAccountId: mintId,
            creditAccountId: budget.accountId,
            amount: shortfall,
            kind: "emission",
            memo: `Daily emission for ${budget.name}, ${today}`,
          },
        ]);
        account.creditsPosted += shortfall;
      }
      done.set(budget.id, today);
    }
    return done;
  }
}

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

type JsonRewardRow = Omit<RewardRow, "id" | "hold_until" | "created_at"> & {
  id: string;
  hold_until: string | null;
  created_at: string;
};

const rewardJson = sql`json_build_object(
  'id', id::text, 'idempotency_key', idempotency_key, 'user_id', user_id,
  'action_kind', action_kind, 'target_key', target_key, 'memo', memo,
  'amount', amount::text, 'status', status, 'reason_code', reason_code, 'reason', reason,
  'hold_until', hold_until, 'created_at', created_at)`;

function rewardRowFromJson(row: JsonRewardRow): RewardRow {
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
async function readBatchState(
  trx: Db,
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
        where id = any(${sql.val(wanted.userIds)}::uuid[])) as users`.execute(trx);
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

type RewardDecisionRow = {
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
};

/**
 * A batch's writes in one statement: its transfers (through the ledger's own insert),
 * its reward rows linked to them, its cap counters, and then (through the ledger's own
 * balance move, once the counters are locked) the balances of the users' accounts and
 * last of the shared ones (the budget). The statement checks what it wrote against what
 * it was asked to write and aborts on any difference (`RetryBatch`), so it is safe as its
 * own transaction: balances moved for a transfer that another batch had written, or a cap
 * another batch used up meanwhile, never commit.
 */
async function writeRewards(
  db: Db,
  batch: {
    transfers: NewTransferRequest[];
    decisions: RewardDecisionRow[];
    /** Each counter's increment and the most it may reach. */
    counters: { key: string; count: number; cap: number }[];
    now: Date;
    today: string;
  },
): Promise<RewardRow[]> {
  const d = batch.decisions;
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
  return (row.rewards ?? []).map(([id, key]): RewardRow => {
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
