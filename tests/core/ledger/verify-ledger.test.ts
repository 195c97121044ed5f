import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import { transfer } from "#core/ledger/transfers.service.ts";
import {
  formatLedgerReport,
  ledgerReportToJson,
  verifyLedger,
  type LedgerReport,
  type LedgerViolation,
} from "#core/ledger/verify-ledger.ts";
import { RewardEngine } from "#core/rewards/reward-engine.ts";
import { createRewardEvents } from "#core/rewards/reward-events.ts";
import {
  appealReward,
  decideAppeal,
  releaseMaturedRewards,
  reverseReward,
} from "#core/rewards/reward.service.ts";
import type { RewardOutcome } from "#core/rewards/reward-types.ts";
import type { Db } from "#db/create-db.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";
import { accountByCode, accountsOf, DAY_MS, insertUsers } from "./ledger-helpers.ts";

class Rollback extends Error {}

type TransferRow = {
  id: bigint;
  idempotency_key: string;
  debit_account_id: bigint;
  credit_account_id: bigint;
  amount: string;
  phase: string;
  pending_id: bigint | null;
};

describe.each(testBackends())("verifyLedger on %s", (backend) => {
  let testDb: TestDb;
  let db: Db;
  const now = new Date();
  let ada: UserId;
  let bo: UserId;
  /** The healthy ledger's rewards, by what they exercise. */
  const r: Record<
    "released" | "reversed" | "held" | "available" | "refused" | "appealed" | "game",
    RewardOutcome
  > = {} as never;

  async function rewardOk(engine: RewardEngine, ...args: Parameters<RewardEngine["reward"]>) {
    const result = await engine.reward(...args);
    if (!result.ok) throw new Error(`reward failed: ${result.error.message}`);
    return result.value;
  }

  beforeAll(async () => {
    testDb = await openTestDb(backend);
    db = testDb.db;
    [ada, bo] = (await insertUsers(db, 2, { now })) as [UserId, UserId];
    const engine = new RewardEngine(db, { now: () => now });
    r.released = await rewardOk(engine, {
      actionKind: "post.created",
      userId: ada,
      causeId: `${ada}:p1`,
      memo: "You posted",
    });
    r.reversed = await rewardOk(engine, {
      actionKind: "comment.created",
      userId: ada,
      causeId: `${ada}:c1`,
      memo: "You commented",
    });
    r.held = await rewardOk(engine, {
      actionKind: "follow.received",
      userId: ada,
      causeId: `${ada}:f1`,
      memo: "New follower",
    });
    r.available = await rewardOk(engine, {
      actionKind: "checkin.daily",
      userId: ada,
      causeId: `${ada}:d1`,
      memo: "Check-in",
    });
    r.refused = await rewardOk(engine, {
      actionKind: "checkin.daily",
      userId: ada,
      causeId: `${ada}:d2`,
      memo: "Check-in",
    });
    r.game = await rewardOk(engine, {
      actionKind: "game.achievement",
      userId: bo,
      causeId: `${bo}:g1`,
      memo: "Achievement",
    });
    const boFirst = await rewardOk(engine, {
      actionKind: "checkin.daily",
      userId: bo,
      causeId: `${bo}:d1`,
      memo: "Check-in",
    });
    expect(boFirst.status).toBe("available");
    r.appealed = await rewardOk(engine, {
      actionKind: "checkin.daily",
      userId: bo,
      causeId: `${bo}:d2`,
      memo: "Check-in",
    });
    expect(r.refused).toMatchObject({ status: "refused", reason: { code: "daily_cap" } });
    expect(r.appealed.status).toBe("refused");
    const reversed = await reverseReward(db, r.reversed.key);
    expect(reversed.ok && reversed.value.status).toBe("reversed");
    const released = await releaseMaturedRewards(db, new Date(now.getTime() + 2 * DAY_MS));
    expect(released.map((x) => x.key).sort()).toEqual([r.game.key, r.released.key].sort());
    const appeal = await appealReward(db, bo, r.appealed.rewardId, "I did check in twice!");
    expect(appeal.ok).toBe(true);
    const decision = await decideAppeal(
      { db, rewardEvents: createRewardEvents() },
      ada,
      r.appealed.rewardId,
      {
        approve: true,
        reason: "Fair enough",
      },
    );
    expect(decision.ok).toBe(true);

    // Plain transfers too: a voided reservation and a posted one.
    const accounts = await accountsOf(db, ada);
    await accountsOf(db, bo);
    const reserve = await transfer(db, {
      phase: "pending",
      key: "test:reserve",
      debitAccountId: accounts.wallet,
      creditAccountId: accounts.invested,
      amount: 1000n,
      kind: "invest",
    });
    await transfer(db, {
      phase: "void",
      key: "test:reserve:void",
      pendingId: reserve.transfer.id,
      kind: "invest_cancel",
    });
    const reserve2 = await transfer(db, {
      phase: "pending",
      key: "test:reserve2",
      debitAccountId: accounts.wallet,
      creditAccountId: accounts.invested,
      amount: 2000n,
      kind: "invest",
    });
    await transfer(db, {
      phase: "post",
      key: "test:reserve2:post",
      pendingId: reserve2.transfer.id,
      kind: "invest_confirm",
    });
  });
  afterAll(() => testDb.close());
  // Every corruption below is rolled back: the ledger is healthy again after each test.
  afterEach(async () => {
    expect((await verifyLedger(db)).violations).toEqual([]);
  });

  /** Corrupts the ledger inside a transaction, verifies it there, and rolls it all back. */
  async function corrupted(
    corrupt: (trx: Db) => Promise<unknown>,
    options?: Parameters<typeof verifyLedger>[1],
  ): Promise<LedgerReport> {
    let report: LedgerReport | undefined;
    await db
      .transaction()
      .execute(async (trx) => {
        await corrupt(trx);
        report = await verifyLedger(trx, options);
        throw new Rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof Rollback)) throw error;
      });
    return report!;
  }

  async function transferOf(trx: Db, where: { id?: bigint; key?: string }): Promise<TransferRow> {
    const { rows } = await sql<TransferRow>`
      select id, idempotency_key, debit_account_id, credit_account_id, amount::text, phase,
             pending_id
      from ledger_transfers
      where ${where.id !== undefined ? sql`id = ${String(where.id)}::bigint` : sql`idempotency_key = ${where.key!}`}`.execute(
      trx,
    );
    return rows[0]!;
  }

  async function rewardTransferId(key: string): Promise<bigint> {
    const row = await db
      .selectFrom("rewards")
      .select("transfer_id")
      .where("idempotency_key", "=", key)
      .executeTakeFirstOrThrow();
    return BigInt(row.transfer_id!);
  }

  const dropConstraint = (trx: Db, table: string, name: string) =>
    sql`alter table ${sql.table(table)} drop constraint ${sql.id(name)}`.execute(trx);

  const insertTransfer = (
    trx: Db,
    t: {
      key: string;
      debit: bigint;
      credit: bigint;
      amount: bigint | string;
      phase: string;
      pendingId?: bigint | null;
      kind?: string;
    },
  ) =>
    sql<{ id: bigint }>`
      insert into ledger_transfers
        (idempotency_key, debit_account_id, credit_account_id, amount, kind, phase, pending_id)
      values (${t.key}, ${String(t.debit)}::bigint, ${String(t.credit)}::bigint,
              ${String(t.amount)}::numeric, ${t.kind ?? "adjustment"}, ${t.phase},
              ${t.pendingId == null ? null : String(t.pendingId)}::bigint)
      returning id`
      .execute(trx)
      .then((res) => BigInt(res.rows[0]!.id));

  const moveBalance = (trx: Db, accountId: bigint, column: string, by: bigint) =>
    sql`update ledger_accounts set ${sql.id(column)} = ${sql.id(column)} + ${by.toString()}::numeric
        where id = ${String(accountId)}::bigint`.execute(trx);

  const only = (report: LedgerReport, kind: LedgerViolation["kind"]) =>
    report.violations.filter((v) => v.kind === kind);

  it("is clean on a healthy ledger and says what it checked", async () => {
    const report = await verifyLedger(db);
    expect(report.ok).toBe(true);
    expect(report.violations).toEqual([]);
    expect(report.stats).toMatchObject({ postedTotal: 0n, pendingTotal: 0n });
    expect(report.stats.transfers).toBeGreaterThan(10);
    expect(report.stats.rewards).toBe(8);
    expect(report.checks.map((c) => c.check)).toEqual([
      "zero_sum",
      "no_negative_or_overdraft",
      "balances_match_transfers",
      "transfers_well_formed",
      "unique_keys",
      "pending_resolved_once",
      "rewards_match_ledger",
    ]);
    expect(report.checks.every((c) => c.violations === 0 && !c.truncated)).toBe(true);
    const text = formatLedgerReport(report);
    expect(text).toContain("PASS  zero_sum");
    expect(text).toContain("Ledger OK");
    expect(text).not.toContain("FAIL");
  });

  it("a balance column edited by hand: the zero sum and the recomputed balance both fail, naming the account", async () => {
    const wallet = await accountByCode(db, `user:${ada}:wallet`);
    const report = await corrupted((trx) => moveBalance(trx, wallet.id, "credits_posted", 7n));
    expect(report.ok).toBe(false);
    expect(report.violations).toEqual([
      {
        kind: "sum_not_zero",
        check: "zero_sum",
        balance: "posted",
        expected: 0n,
        actual: 7n,
        message: expect.stringContaining("sum to 7 ("),
      },
      {
        kind: "balance_mismatch",
        check: "balances_match_transfers",
        account: { accountId: wallet.id, code: wallet.code },
        column: "credits_posted",
        expected: wallet.creditsPosted,
        actual: wallet.creditsPosted + 7n,
        message: expect.stringContaining(`account #${wallet.id} ${wallet.code}: credits_posted is`),
      },
    ]);
    const text = formatLedgerReport(report);
    expect(text).toContain("FAIL  zero_sum");
    expect(text).toContain("FAIL  balances_match_transfers");
    expect(text).toContain("PASS  rewards_match_ledger");
    expect(text).toContain("Ledger FAILED: 2 violations.");
    expect(JSON.parse(ledgerReportToJson(report)).violations[0].actual).toBe("7");
  });

  it("a pending column edited by hand breaks the pending zero sum", async () => {
    const wallet = await accountByCode(db, `user:${ada}:wallet`);
    const report = await corrupted((trx) => moveBalance(trx, wallet.id, "credits_pending", -1n));
    expect(report.violations.map((v) => v.kind)).toEqual(["sum_not_zero", "balance_mismatch"]);
    expect(report.violations[0]).toMatchObject({ balance: "pending", actual: -1n });
    expect(report.violations[1]).toMatchObject({
      column: "credits_pending",
      expected: wallet.creditsPending,
      actual: wallet.creditsPending - 1n,
    });
  });

  it("a transfer row inserted without its balances: both accounts are reported, with the expected and stored columns", async () => {
    const ids = await accountsOf(db, ada);
    const mint = await accountByCode(db, "system:mint");
    const wallet = await accountByCode(db, `user:${ada}:wallet`);
    const report = await corrupted((trx) =>
      insertTransfer(trx, {
        key: "corrupt:unbalanced",
        debit: ids.mint,
        credit: ids.wallet,
        amount: 5n,
        phase: "single",
      }),
    );
    // Still sums to zero (a transfer always does), but neither account matches its transfers.
    expect(report.violations).toHaveLength(2);
    expect(report.violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: "balance_mismatch",
          account: { accountId: mint.id, code: "system:mint" },
          column: "debits_posted",
          expected: mint.debitsPosted + 5n,
          actual: mint.debitsPosted,
        }),
        expect.objectContaining({
          kind: "balance_mismatch",
          account: { accountId: wallet.id, code: wallet.code },
          column: "credits_posted",
          expected: wallet.creditsPosted + 5n,
          actual: wallet.creditsPosted,
        }),
      ]),
    );
  });

  it("a negative column is reported even where the database constraint was lost", async () => {
    const invested = await accountByCode(db, `user:${bo}:invested`);
    const report = await corrupted(async (trx) => {
      await dropConstraint(trx, "ledger_accounts", "ledger_accounts_non_negative_columns");
      await sql`update ledger_accounts set debits_pending = -3 where id = ${String(invested.id)}::bigint`.execute(
        trx,
      );
    });
    expect(only(report, "negative_column")).toEqual([
      {
        kind: "negative_column",
        check: "no_negative_or_overdraft",
        account: { accountId: invested.id, code: invested.code },
        column: "debits_pending",
        expected: ">= 0",
        actual: -3n,
        message: `account #${invested.id} ${invested.code}: debits_pending is -3, expected >= 0.`,
      },
    ]);
    expect(report.violations.map((v) => v.kind).sort()).toEqual(
      ["balance_mismatch", "negative_column", "sum_not_zero"].sort(),
    );
  });

  it("an overdraft of a must-not-overdraw account, balanced and recorded, is reported with its excess", async () => {
    const ids = await accountsOf(db, ada);
    const wallet = await accountByCode(db, `user:${ada}:wallet`);
    const available = wallet.creditsPosted - wallet.debitsPosted - wallet.debitsPending;
    expect(available).toBeGreaterThan(0n);
    const report = await corrupted(async (trx) => {
      await dropConstraint(trx, "ledger_accounts", "ledger_accounts_no_overdraft");
      await insertTransfer(trx, {
        key: "corrupt:overdraft",
        debit: ids.wallet,
        credit: ids.invested,
        amount: available + 1n,
        phase: "single",
        kind: "invest",
      });
      await moveBalance(trx, ids.wallet, "debits_posted", available + 1n);
      await moveBalance(trx, ids.invested, "credits_posted", available + 1n);
    });
    expect(report.violations).toEqual([
      {
        kind: "overdraft",
        check: "no_negative_or_overdraft",
        account: { accountId: wallet.id, code: wallet.code },
        actual: wallet.creditsPosted + 1n,
        expected: wallet.creditsPosted,
        excess: 1n,
        message: expect.stringContaining("overdrawn by 1 ("),
      },
    ]);
  });

  it("a duplicated transfer idempotency key is reported with both ids", async () => {
    const ids = await accountsOf(db, ada);
    const original = await transferOf(db, { key: "test:reserve" });
    let copyId = 0n;
    const report = await corrupted(async (trx) => {
      await dropConstraint(trx, "ledger_transfers", "ledger_transfers_idempotency_key_key");
      copyId = await insertTransfer(trx, {
        key: "test:reserve",
        debit: ids.wallet,
        credit: ids.invested,
        amount: 1n,
        phase: "single",
      });
      await moveBalance(trx, ids.wallet, "debits_posted", 1n);
      await moveBalance(trx, ids.invested, "credits_posted", 1n);
    });
    expect(report.violations).toEqual([
      {
        kind: "duplicate_key",
        check: "unique_keys",
        table: "ledger_transfers",
        key: "test:reserve",
        ids: [BigInt(original.id), copyId],
        message: `Idempotency key test:reserve is used by 2 rows of ledger_transfers (ids ${original.id}, ${copyId}), expected 1.`,
      },
    ]);
  });

  it("a duplicated reward idempotency key is reported", async () => {
    const report = await corrupted(async (trx) => {
      await dropConstraint(trx, "rewards", "rewards_idempotency_key_key");
      await sql`
        insert into rewards (idempotency_key, user_id, action_kind, memo, amount, status, budget_id)
        values (${r.held.key}, ${ada}::uuid, 'follow.received', 'copy', 1, 'refused', 'platform')`.execute(
        trx,
      );
    });
    expect(report.violations).toEqual([
      expect.objectContaining({
        kind: "duplicate_key",
        table: "rewards",
        key: r.held.key,
        ids: [r.held.rewardId, expect.any(BigInt)],
      }),
    ]);
  });

  it("a pending transfer resolved twice is reported with both resolutions", async () => {
    const pendingId = await rewardTransferId(r.released.key);
    const pending = await transferOf(db, { id: pendingId });
    const post = await transferOf(db, { key: `release:${r.released.rewardId}` });
    let voidId = 0n;
    const report = await corrupted(async (trx) => {
      await sql`drop index ledger_transfers_resolves_once`.execute(trx);
      voidId = await insertTransfer(trx, {
        key: "corrupt:second-resolution",
        debit: BigInt(pending.debit_account_id),
        credit: BigInt(pending.credit_account_id),
        amount: pending.amount,
        phase: "void",
        pendingId,
      });
    });
    expect(only(report, "resolved_more_than_once")).toEqual([
      {
        kind: "resolved_more_than_once",
        check: "pending_resolved_once",
        pendingId,
        resolutions: [
          { transferId: BigInt(post.id), phase: "post" },
          { transferId: voidId, phase: "void" },
        ],
        message: `Pending transfer #${pendingId} is resolved 2 times (post #${post.id}, void #${voidId}), expected at most once.`,
      },
    ]);
    // The unapplied void also leaves both accounts off their transfers.
    expect(report.violations.map((v) => v.kind).sort()).toEqual([
      "balance_mismatch",
      "balance_mismatch",
      "resolved_more_than_once",
    ]);
  });

  it("a post whose amount differs from its pending transfer is reported, field by field", async () => {
    const post = await transferOf(db, { key: "test:reserve2:post" });
    const report = await corrupted((trx) =>
      sql`update ledger_transfers set amount = amount + 1 where id = ${String(post.id)}::bigint`.execute(
        trx,
      ),
    );
    expect(only(report, "resolution_mismatch")).toEqual([
      {
        kind: "resolution_mismatch",
        check: "transfers_well_formed",
        transfer: { transferId: BigInt(post.id), key: "test:reserve2:post" },
        pendingId: BigInt(post.pending_id!),
        field: "amount",
        expected: "2000 (the pending transfer's)",
        actual: "2001",
        message: expect.stringContaining("amount is 2001, expected 2000"),
      },
    ]);
    expect(new Set(report.violations.map((v) => v.kind))).toEqual(
      new Set(["resolution_mismatch", "balance_mismatch"]),
    );
  });

  it("a post that points at a single transfer is reported", async () => {
    const single = await transferOf(db, { key: `reward:${r.available.key}` });
    expect(single.phase).toBe("single");
    let postId = 0n;
    const report = await corrupted(async (trx) => {
      postId = await insertTransfer(trx, {
        key: "corrupt:post-of-single",
        debit: BigInt(single.debit_account_id),
        credit: BigInt(single.credit_account_id),
        amount: single.amount,
        phase: "post",
        pendingId: BigInt(single.id),
      });
    });
    expect(only(report, "resolution_mismatch")).toEqual([
      expect.objectContaining({
        transfer: { transferId: postId, key: "corrupt:post-of-single" },
        pendingId: BigInt(single.id),
        field: "pending",
        expected: "a pending transfer",
        actual: "a single transfer",
      }),
    ]);
  });

  it("malformed transfers (zero amount, one account on both sides) are reported where constraints were lost", async () => {
    const ids = await accountsOf(db, ada);
    const keys: Record<string, bigint> = {};
    const report = await corrupted(async (trx) => {
      await dropConstraint(trx, "ledger_transfers", "ledger_transfers_positive_amount");
      await dropConstraint(trx, "ledger_transfers", "ledger_transfers_distinct_accounts");
      keys.zero = await insertTransfer(trx, {
        key: "corrupt:zero",
        debit: ids.mint,
        credit: ids.wallet,
        amount: 0n,
        phase: "single",
      });
      keys.self = await insertTransfer(trx, {
        key: "corrupt:self",
        debit: ids.wallet,
        credit: ids.wallet,
        amount: 5n,
        phase: "single",
      });
      await moveBalance(trx, ids.wallet, "debits_posted", 5n);
      await moveBalance(trx, ids.wallet, "credits_posted", 5n);
    });
    expect(report.violations).toEqual([
      {
        kind: "malformed_transfer",
        check: "transfers_well_formed",
        transfer: { transferId: keys.zero, key: "corrupt:zero" },
        field: "amount",
        expected: "a positive amount",
        actual: "0",
        message: `transfer #${keys.zero} (corrupt:zero): amount is 0, expected a positive amount.`,
      },
      {
        kind: "malformed_transfer",
        check: "transfers_well_formed",
        transfer: { transferId: keys.self, key: "corrupt:self" },
        field: "accounts",
        expected: "two different accounts",
        actual: `account #${ids.wallet} on both sides`,
        message: expect.any(String),
      },
    ]);
  });

  it("a transfer naming an account that does not exist is reported (the hot path has no foreign keys)", async () => {
    const ids = await accountsOf(db, ada);
    let transferId = 0n;
    const report = await corrupted(async (trx) => {
      transferId = await insertTransfer(trx, {
        key: "corrupt:ghost",
        debit: ids.mint,
        credit: 987_654_321n,
        amount: 5n,
        phase: "single",
      });
    });
    expect(only(report, "malformed_transfer")).toEqual([
      expect.objectContaining({
        transfer: { transferId, key: "corrupt:ghost" },
        field: "accounts",
        expected: "an existing credit account",
        actual: "account #987654321, which does not exist",
      }),
    ]);
  });

  describe("rewards against the ledger", () => {
    const setStatus = (trx: Db, reward: RewardOutcome, status: string) =>
      sql`update rewards set status = ${status} where id = ${String(reward.rewardId)}::bigint`.execute(
        trx,
      );

    it("a held reward marked available without its pending transfer being posted", async () => {
      const transferId = await rewardTransferId(r.held.key);
      const report = await corrupted((trx) => setStatus(trx, r.held, "available"));
      expect(report.violations).toEqual([
        {
          kind: "reward_status_mismatch",
          check: "rewards_match_ledger",
          reward: { rewardId: r.held.rewardId, key: r.held.key, userId: ada, status: "available" },
          transferId,
          expected: "a single transfer, or a pending transfer that was posted",
          actual: `pending transfer #${transferId}, unresolved`,
          message: `reward #${r.held.rewardId} ${r.held.key} [available]: expected a single transfer, or a pending transfer that was posted, found pending transfer #${transferId}, unresolved.`,
        },
      ]);
    });

    it("a reversed reward marked held again, and a released one marked reversed", async () => {
      const reversedTransfer = await rewardTransferId(r.reversed.key);
      const voidId = BigInt((await transferOf(db, { key: `reverse:${r.reversed.rewardId}` })).id);
      const releasedTransfer = await rewardTransferId(r.released.key);
      const postId = BigInt((await transferOf(db, { key: `release:${r.released.rewardId}` })).id);
      const report = await corrupted(async (trx) => {
        await setStatus(trx, r.reversed, "held");
        await setStatus(trx, r.released, "reversed");
      });
      expect(report.violations).toHaveLength(2);
      expect(report.violations).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            kind: "reward_status_mismatch",
            reward: expect.objectContaining({ rewardId: r.reversed.rewardId, status: "held" }),
            expected: "an unresolved pending transfer",
            actual: `pending transfer #${reversedTransfer}, voided by #${voidId}`,
          }),
          expect.objectContaining({
            kind: "reward_status_mismatch",
            reward: expect.objectContaining({ rewardId: r.released.rewardId, status: "reversed" }),
            expected: "a pending transfer that was voided",
            actual: `pending transfer #${releasedTransfer}, posted by #${postId}`,
          }),
        ]),
      );
    });

    it("a reward whose amount differs from its transfer's", async () => {
      const transferId = await rewardTransferId(r.available.key);
      const report = await corrupted((trx) =>
        sql`update rewards set amount = amount * 2 where id = ${String(r.available.rewardId)}::bigint`.execute(
          trx,
        ),
      );
      expect(report.violations).toEqual([
        expect.objectContaining({
          kind: "reward_amount_mismatch",
          reward: expect.objectContaining({ rewardId: r.available.rewardId }),
          transferId,
          expected: r.available.amount * 2n,
          actual: r.available.amount,
        }),
      ]);
    });

    it("a paid reward marked refused leaves its payment without a reward", async () => {
      const transferId = await rewardTransferId(r.held.key);
      const report = await corrupted((trx) =>
        sql`update rewards set status = 'refused', transfer_id = null
            where id = ${String(r.held.rewardId)}::bigint`.execute(trx),
      );
      expect(report.violations).toEqual([
        {
          kind: "reward_transfer_orphaned",
          check: "rewards_match_ledger",
          transfer: { transferId, key: `reward:${r.held.key}` },
          amount: r.held.amount,
          reward: { rewardId: r.held.rewardId, key: r.held.key, userId: ada, status: "refused" },
          message: expect.stringContaining("but no reward points to it (its key names reward #"),
        },
      ]);
    });

    it("a refused reward that points at a transfer", async () => {
      const transferId = await rewardTransferId(r.available.key);
      const report = await corrupted(async (trx) => {
        await dropConstraint(trx, "rewards", "rewards_transfer_matches_status");
        await sql`update rewards set transfer_id = ${String(transferId)}::bigint
                  where id = ${String(r.refused.rewardId)}::bigint`.execute(trx);
      });
      expect(report.violations).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            kind: "reward_status_mismatch",
            reward: expect.objectContaining({ rewardId: r.refused.rewardId }),
            expected: "no transfer",
            actual: `single transfer #${transferId}`,
          }),
          expect.objectContaining({
            kind: "reward_transfer_shared",
            transferId,
            rewardIds: [r.available.rewardId, r.refused.rewardId],
          }),
        ]),
      );
      expect(report.violations).toHaveLength(2);
    });

    it("a reward pointing at another user's payment from another budget: payee, budget, amount, sharing and the orphan are all named", async () => {
      const own = await rewardTransferId(r.released.key);
      const bos = await rewardTransferId(r.game.key);
      const games = await accountByCode(db, "budget:games");
      const platform = await accountByCode(db, "budget:platform");
      const report = await corrupted((trx) =>
        sql`update rewards set transfer_id = ${String(bos)}::bigint
            where id = ${String(r.released.rewardId)}::bigint`.execute(trx),
      );
      const reward = expect.objectContaining({ rewardId: r.released.rewardId });
      expect(report.violations).toHaveLength(5);
      expect(report.violations).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            kind: "reward_amount_mismatch",
            reward,
            transferId: bos,
            expected: r.released.amount,
            actual: r.game.amount,
          }),
          expect.objectContaining({
            kind: "reward_wrong_payee",
            reward,
            transferId: bos,
            expected: `user:${ada}:wallet`,
            actual: `user:${bo}:wallet`,
          }),
          expect.objectContaining({
            kind: "reward_wrong_budget",
            reward,
            transferId: bos,
            expected: platform.id,
            actual: games.id,
          }),
          expect.objectContaining({
            kind: "reward_transfer_shared",
            transferId: bos,
            rewardIds: [r.released.rewardId, r.game.rewardId].sort((a, b) => (a < b ? -1 : 1)),
          }),
          expect.objectContaining({
            kind: "reward_transfer_orphaned",
            transfer: { transferId: own, key: `reward:${r.released.key}` },
          }),
        ]),
      );
    });

    it("a reward for a missing user, budget or transfer (the rewards table has no foreign keys to lean on)", async () => {
      const report = await corrupted(async (trx) => {
        // Constraints may or may not exist depending on the migration; drop them if present.
        for (const name of [
          "rewards_user_id_fkey",
          "rewards_budget_id_fkey",
          "rewards_transfer_id_fkey",
        ]) {
          await sql`alter table rewards drop constraint if exists ${sql.id(name)}`.execute(trx);
        }
        await sql`
          insert into rewards (idempotency_key, user_id, action_kind, memo, amount, status,
                               budget_id, transfer_id)
          values ('corrupt:ghost', '00000000-0000-4000-8000-000000000000', 'post.created', 'ghost',
                  5, 'available', 'no-such-budget', 987654321)`.execute(trx);
      });
      expect(report.violations.map((v) => [v.kind, "actual" in v ? v.actual : null])).toEqual([
        ["reward_unknown_user", "user 00000000-0000-4000-8000-000000000000, which does not exist"],
        ["reward_status_mismatch", "transfer #987654321, which does not exist"],
        ["reward_unknown_budget", "budget no-such-budget, which does not exist"],
      ]);
    });
  });

  it("lists at most maxViolationsPerCheck per check and says it stopped", async () => {
    const a = await accountByCode(db, `user:${ada}:wallet`);
    const b = await accountByCode(db, `user:${bo}:wallet`);
    const report = await corrupted(
      async (trx) => {
        await moveBalance(trx, a.id, "credits_posted", 1n);
        await moveBalance(trx, b.id, "credits_posted", -1n);
      },
      { maxViolationsPerCheck: 1 },
    );
    const check = report.checks.find((c) => c.check === "balances_match_transfers")!;
    expect(check).toMatchObject({ violations: 1, truncated: true });
    expect(formatLedgerReport(report)).toContain("… stopped after 1; there are more.");
  });
});
