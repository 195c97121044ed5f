import { sql } from "kysely";
import { parseUserId, type UserId } from "#core/auth/ids.ts";
import {
  type AccountBalances,
  accountCodes,
  ensureAccounts,
  lockAccounts,
  mintAccount,
  spendable,
  userAccounts,
} from "#core/ledger/accounts.repository.ts";
import { isRetryableConflict } from "#core/ledger/ledger-error.ts";
import { recordTransfers, type TransferRequest } from "#core/ledger/transfers.ts";
import { err, ok, type Result } from "#core/result.ts";
import type { Db } from "#db/create-db.ts";
import {
  findBudgets,
  findRules,
  type RewardBudget,
  type RewardRule,
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

class RetryBatch extends Error {}

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_MEMO = 200;
const MAX_CAUSE = 200;
const kindPattern = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;

function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
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
 * Records rewards exactly once, batching concurrent calls into shared transactions
 * (as TigerBeetle batches transfers): a batch locks its budgets, checks rules, caps
 * and budget in order, and writes every transfer, reward and counter with multi-row
 * statements. Concurrent duplicates produce one reward; a replay returns the original.
 */
export class RewardEngine {
  private queue: Pending[] = [];
  private isFlushing = false;
  private readonly maxBatchSize: number;
  private readonly newAccountReviewMs: number;
  private readonly now: () => Date;
  private readonly onGranted: ((outcomes: RewardOutcome[]) => void) | undefined;
  private readonly toppedUp = new Map<string, string>();
  /** Sizes of the batches written so far (for the benchmark's curve). */
  readonly batchSizes: number[] = [];

  constructor(
    private readonly db: Db,
    options: RewardEngineOptions = {},
  ) {
    this.maxBatchSize = options.maxBatchSize ?? 256;
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
      if (!this.isFlushing) {
        this.isFlushing = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatchSize);
        await this.runBatch(batch);
      }
    } finally {
      this.isFlushing = false;
    }
  }

  private async runBatch(batch: Pending[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { results, granted, toppedUp } = await this.db
          .transaction()
          .execute((trx) => this.writeBatch(trx, batch));
        // Remembered only once committed: a rolled-back top-up must be tried again.
        for (const [budgetId, day] of toppedUp) this.toppedUp.set(budgetId, day);
        this.batchSizes.push(batch.length);
        batch.forEach((item, i) => item.resolve(results[i]!));
        if (granted.length > 0) this.onGranted?.(granted);
        return;
      } catch (error) {
        if (attempt < 5 && (error instanceof RetryBatch || isRetryableConflict(error))) continue;
        if (batch.length > 1) {
          // One bad request must not fail its neighbours: retry each on its own.
          for (const item of batch) await this.runBatch([item]);
          return;
        }
        batch[0]!.reject(error);
        return;
      }
    }
  }

  private async writeBatch(
    trx: Db,
    batch: Pending[],
  ): Promise<{
    results: Result<RewardOutcome, RewardError>[];
    granted: RewardOutcome[];
    toppedUp: Map<string, string>;
  }> {
    const now = this.now();
    const today = utcDay(now);
    const results: (Result<RewardOutcome, RewardError> | undefined)[] = new Array(batch.length);

    const rules = new Map(
      (await findRules(trx, [...new Set(batch.map((b) => b.request.actionKind))])).map((r) => [
        r.actionKind,
        r,
      ]),
    );
    batch.forEach((item, i) => {
      if (!rules.has(item.request.actionKind)) {
        results[i] = err({
          code: "unknown_action",
          message: `No reward rule for "${item.request.actionKind}".`,
        });
      }
    });

    // The budget lock is the serialisation point: every batch that could pay from a
    // budget (including other app instances) waits here, so checks below see all
    // earlier batches' writes.
    const budgets = new Map(
      (await findBudgets(trx, [...new Set([...rules.values()].map((r) => r.budgetId))])).map(
        (b) => [b.id, b],
      ),
    );
    const budgetAccounts = new Map(
      (
        await lockAccounts(
          trx,
          [...budgets.values()].map((b) => b.accountId),
        )
      ).map((a) => [a.id, a]),
    );
    const toppedUp = await this.topUpDailyBudgets(
      trx,
      [...budgets.values()],
      today,
      budgetAccounts,
    );

    const keys = [...new Set(batch.filter((_, i) => !results[i]).map((b) => b.key))];
    const existing = new Map<string, RewardRow>();
    if (keys.length > 0) {
      const { rows } = await sql<RewardRow>`
        select * from rewards where idempotency_key = any(${sql.val(keys)}::text[])`.execute(trx);
      for (const row of rows) existing.set(row.idempotency_key, row);
    }

    const userIds = [...new Set(batch.filter((_, i) => !results[i]).map((b) => b.request.userId))];
    const users = new Map(
      (userIds.length
        ? await trx
            .selectFrom("users")
            .select(["id", "created_at"])
            .where("id", "in", userIds)
            .execute()
        : []
      ).map((u) => [u.id, u.created_at]),
    );

    // Caps: today's counts for every (user, kind) and (user, kind, target) in the batch.
    const counterKeys = new Set<string>();
    const dailyKey = (r: RewardRequest) => `d:${r.userId}:${r.actionKind}:${today}`;
    const targetKey = (r: RewardRequest) => `t:${r.userId}:${r.actionKind}:${r.targetKey}:${today}`;
    for (const item of batch) {
      counterKeys.add(dailyKey(item.request));
      if (item.request.targetKey) counterKeys.add(targetKey(item.request));
    }
    const counts = new Map<string, number>();
    {
      const { rows } = await sql<{ key: string; count: number }>`
        select key, count from reward_counters where key = any(${sql.val([...counterKeys])}::text[])`.execute(
        trx,
      );
      for (const row of rows) counts.set(row.key, row.count);
    }
    const counterIncrements = new Map<string, number>();
    const bump = (key: string) => {
      counts.set(key, (counts.get(key) ?? 0) + 1);
      counterIncrements.set(key, (counterIncrements.get(key) ?? 0) + 1);
    };

    type Decision = {
      index: number;
      item: Pending;
      rule: RewardRule;
      budget: RewardBudget;
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
      if (!users.has(request.userId)) {
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
      const decide = (
        status: Decision["status"],
        reason: RewardReason | null,
        holdUntil: Date | null,
      ) => decisions.push({ index, item, rule, budget, status, reason, holdUntil });

      if (!rule.isEnabled) {
        return decide(
          "refused",
          { code: "rule_disabled", message: `Rewards for ${rule.label} are paused.` },
          null,
        );
      }
      if (rule.dailyCap !== null && (counts.get(dailyKey(request)) ?? 0) >= rule.dailyCap) {
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
      if (left < rule.amount) {
        const resets = budget.kind === "daily_emission" ? " — resets at 00:00 UTC" : "";
        return decide(
          "refused",
          { code: "budget_exhausted", message: `The ${budget.name} has run out${resets}.` },
          null,
        );
      }
      remaining.set(budget.accountId, left - rule.amount);
      bump(dailyKey(request));
      if (request.targetKey) bump(targetKey(request));

      const createdAt = users.get(request.userId)!;
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

    // Money first: one pending or single transfer per granted reward.
    const granted = decisions.filter((d) => d.status !== "refused");
    const accountIds = await ensureAccounts(
      trx,
      [...new Set(granted.map((d) => d.item.request.userId))].flatMap(userAccounts),
    );
    const transferResults = await recordTransfers(
      trx,
      granted.map((d): TransferRequest => ({
        phase: d.status === "held" ? "pending" : "single",
        key: `reward:${d.item.key}`,
        debitAccountId: d.budget.accountId,
        creditAccountId: accountIds.get(accountCodes.userWallet(d.item.request.userId))!,
        amount: d.rule.amount,
        kind: "reward",
        memo: d.item.request.memo,
      })),
    );
    if (transferResults.some((r) => r.isReplay))
      throw new RetryBatch("a concurrent batch paid this reward");
    const transferIds = new Map(granted.map((d, i) => [d.index, transferResults[i]!.transfer.id]));

    let inserted: RewardRow[] = [];
    if (decisions.length > 0) {
      const { rows } = await sql<RewardRow>`
        insert into rewards
          (idempotency_key, user_id, action_kind, target_key, memo, amount, status,
           reason_code, reason, budget_id, transfer_id, hold_until, created_at)
        select * from unnest(
          ${sql.val(decisions.map((d) => d.item.key))}::text[],
          ${sql.val(decisions.map((d) => d.item.request.userId))}::uuid[],
          ${sql.val(decisions.map((d) => d.rule.actionKind))}::text[],
          ${sql.val(decisions.map((d) => d.item.request.targetKey ?? null))}::text[],
          ${sql.val(decisions.map((d) => d.item.request.memo))}::text[],
          ${sql.val(decisions.map((d) => d.rule.amount.toString()))}::numeric[],
          ${sql.val(decisions.map((d) => d.status))}::text[],
          ${sql.val(decisions.map((d) => d.reason?.code ?? null))}::text[],
          ${sql.val(decisions.map((d) => d.reason?.message ?? null))}::text[],
          ${sql.val(decisions.map((d) => d.budget.id))}::text[],
          ${sql.val(decisions.map((d) => (transferIds.has(d.index) ? String(transferIds.get(d.index)) : null)))}::bigint[],
          ${sql.val(decisions.map((d) => d.holdUntil?.toISOString() ?? null))}::timestamptz[],
          ${sql.val(decisions.map(() => now.toISOString()))}::timestamptz[])
        on conflict (idempotency_key) do nothing
        returning *`.execute(trx);
      inserted = rows;
    }
    if (inserted.length !== decisions.length)
      throw new RetryBatch("a concurrent batch recorded this reward");

    if (counterIncrements.size > 0) {
      const entries = [...counterIncrements.entries()];
      await sql`
        insert into reward_counters (key, count, day)
        select key, count, ${today}::date
        from unnest(${sql.val(entries.map(([k]) => k))}::text[], ${sql.val(entries.map(([, n]) => n))}::int[])
          as c(key, count)
        on conflict (key) do update set count = reward_counters.count + excluded.count`.execute(
        trx,
      );
    }

    const byKey = new Map(inserted.map((row) => [row.idempotency_key, outcomeFromRow(row, false)]));
    batch.forEach((item, index) => {
      if (results[index]) return;
      const outcome = byKey.get(item.key)!;
      results[index] = ok(
        firstOfKey.get(item.key) === index ? outcome : { ...outcome, isReplay: true },
      );
    });
    const grantedOutcomes = [...byKey.values()].filter((o) => o.status !== "refused");
    return {
      results: results as Result<RewardOutcome, RewardError>[],
      granted: grantedOutcomes,
      toppedUp,
    };
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
      if (budget.kind !== "daily_emission" || budget.dailyAmount === null) continue;
      if (this.toppedUp.get(budget.id) === today) continue;
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
