import {
  type AccountBalances,
  accountCodes,
  ensureAccounts,
  lockAccounts,
  mintAccount,
  spendable,
  userWalletAccount,
} from "#core/ledger/accounts.repository.ts";
import { isSocialRewardKind } from "#core/integrity/risk-signals.ts";
import { readStandings } from "#core/integrity/risk-standing.repository.ts";
import { isRetryableConflict, LedgerError } from "#core/ledger/ledger-error.ts";
import { recordTransfers, type NewTransferRequest } from "#core/ledger/transfers.service.ts";
import { err, ok, type Result } from "#core/result.ts";
import type { Db } from "#db/create-db.ts";
import { counterKeysOf, decideRewards, outcomeFromRow, utcDay } from "./decide-rewards.ts";
import {
  hasTransfer,
  lockRewardCounters,
  readRewardBatch,
  RetryBatch,
  writeRewardBatch,
} from "./reward-batch.repository.ts";
import type { RewardBudget } from "./reward-rules.repository.ts";
import { invalidRewardRequest } from "./reward-request.ts";
import {
  rewardKey,
  type RewardError,
  type RewardOutcome,
  type RewardRequest,
} from "./reward-types.ts";

export type RewardEngineOptions = {
  /** Most rewards written by one transaction. */
  maxBatchSize?: number;
  /** Batches written at the same time (each on its own connection); 1 by default. */
  maxInFlight?: number;
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

const CACHE_LIMIT = 100_000;

/** A Map that forgets everything when it grows past its limit: enough for hot-path lookups. */
class BoundedCache<K, V> extends Map<K, V> {
  override set(key: K, value: V): this {
    if (this.size >= CACHE_LIMIT) this.clear();
    return super.set(key, value);
  }
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
    this.now = options.now ?? (() => new Date());
    this.onGranted = options.onGranted;
  }

  /** Pays for one action, once. Expected failures come back as values. */
  reward(request: RewardRequest): Promise<Result<RewardOutcome, RewardError>> {
    const invalid = invalidRewardRequest(request);
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
    const counterKeys = counterKeysOf(
      batch.map((b) => b.request),
      today,
    );
    // Everything the decisions need, in one round trip and without locks.
    const read = await readRewardBatch(db, {
      kinds: [...new Set(batch.map((b) => b.request.actionKind))],
      keys: [...new Set(batch.map((b) => b.key))],
      counterKeys: isPessimistic ? [] : counterKeys,
      userIds: [...new Set(batch.map((b) => b.request.userId))].filter(
        (id) => !this.userCreatedAt.has(id),
      ),
    });
    const { rules, budgets } = read;
    for (const [id, createdAt] of read.users) this.userCreatedAt.set(id, createdAt);
    const newWalletIds = new Map<string, bigint>();
    let counts: Map<string, number>;
    let budgetAccounts: Map<bigint, AccountBalances>;
    if (!isPessimistic) {
      // Optimistic: everything above was read without locks; the writes below detect
      // any interference and retry.
      counts = read.counts;
      budgetAccounts = read.budgetBalances;
    } else {
      // After a conflict: lock everything this batch decides on before deciding, in the
      // global order every writer uses (cap counters, users' accounts, then budgets).
      counts = await lockRewardCounters(db, counterKeys, today);
      const wallets = await this.walletAccounts(
        db,
        batch
          .filter(
            (b) => rules.has(b.request.actionKind) && this.userCreatedAt.has(b.request.userId),
          )
          .map((b) => b.request.userId),
        newWalletIds,
      );
      await lockAccounts(db, [...wallets.values()], "users");
      budgetAccounts = new Map(
        (
          await lockAccounts(
            db,
            [...budgets.values()].map((b) => b.accountId),
          )
        ).map((a) => [a.id, a]),
      );
    }
    if (!isPessimistic && [...budgets.values()].some((b) => this.isTopUpDue(b, today))) {
      throw new RetryBatch("the day's emission is due: top up under the lock");
    }
    const toppedUp = await this.topUpDailyBudgets(db, [...budgets.values()], today, budgetAccounts);
    // Read fresh every batch (activation, bursts and rings change): the facts signals fire on.
    const paying = batch.filter((b) => rules.has(b.request.actionKind)).map((b) => b.request);
    const standings = await readStandings(db, {
      full: [...new Set(paying.map((r) => r.userId))],
      ring: [
        ...new Set(paying.filter((r) => isSocialRewardKind(r.actionKind)).map((r) => r.userId)),
      ],
      activationOnly: [...new Set(paying.flatMap((r) => (r.engagerId ? [r.engagerId] : [])))],
      now,
    });
    const { verdicts, decisions, counters } = decideRewards(
      {
        now,
        standings,
        rules,
        budgets,
        budgetSpendable: new Map([...budgetAccounts.values()].map((a) => [a.id, spendable(a)])),
        recorded: read.existing,
        userCreatedAt: this.userCreatedAt,
        counts,
      },
      batch,
    );

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
      granted.map((d) => d.request.userId),
      newWalletIds,
    );
    const transferRequests = granted.map((d): NewTransferRequest => ({
      phase: d.status === "held" ? "pending" : "single",
      key: `reward:${d.key}`,
      debitAccountId: d.budget.accountId,
      creditAccountId: walletIds.get(d.request.userId)!,
      amount: d.amount,
      kind: "reward",
      memo: d.request.memo,
    }));
    const rewardRows = decisions.length
      ? await writeRewardBatch(db, {
          transfers: transferRequests,
          rewards: decisions.map((d) => ({
            key: d.key,
            userId: d.request.userId,
            actionKind: d.rule.actionKind,
            targetKey: d.request.targetKey ?? null,
            memo: d.request.memo,
            amount: d.amount,
            status: d.status,
            reason: d.reason,
            budgetId: d.budget.id,
            transferKey: d.status === "refused" ? null : `reward:${d.key}`,
            holdUntil: d.holdUntil,
            signals: d.signals,
          })),
          counters,
          now,
          today,
        })
      : [];
    const byKey = new Map(
      rewardRows.map((row) => [row.idempotency_key, outcomeFromRow(row, false)]),
    );
    const results = verdicts.map((verdict): Result<RewardOutcome, RewardError> => {
      if (verdict.kind === "settled") return verdict.result;
      const outcome = byKey.get(verdict.key)!;
      return ok(verdict.isReplay ? { ...outcome, isReplay: true } : outcome);
    });
    return {
      results,
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
      const isAlreadyDone = await hasTransfer(trx, key);
      if (!isAlreadyDone && shortfall > 0n) {
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
