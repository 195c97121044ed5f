import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import { ensureAccounts } from "#core/ledger/accounts.repository.ts";
import { LedgerError } from "#core/ledger/ledger-error.ts";
import { recordTransfers, transfer, type TransferRequest } from "#core/ledger/transfers.service.ts";
import { verifyLedger } from "#core/ledger/verify-ledger.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";
import { accountByCode, accountsOf, insertUsers, ledgerSnapshot } from "./ledger-helpers.ts";

let counter = 0;
const key = (label: string) => `test:${label}:${++counter}:${Date.now()}`;

describe.each(testBackends())("ledger transfers on %s", (backend) => {
  let testDb: TestDb;
  let db: TestDb["db"];
  let userId: UserId;
  let accounts: Awaited<ReturnType<typeof accountsOf>>;

  beforeAll(async () => {
    testDb = await openTestDb(backend);
    db = testDb.db;
  });
  afterAll(() => testDb.close());

  // Each test starts with a user whose wallet holds 100 base units, minted.
  beforeEach(async () => {
    [userId] = (await insertUsers(db, 1)) as [UserId];
    accounts = await accountsOf(db, userId);
    await transfer(db, {
      phase: "single",
      key: key("fund"),
      debitAccountId: accounts.mint,
      creditAccountId: accounts.wallet,
      amount: 100n,
      kind: "test_funding",
    });
  });
  // Whatever a test did, it broke none of the ledger's invariants. (Only new violations
  // count, so one failing test does not fail every test after it.)
  let knownViolations = new Set<string>();
  beforeEach(async () => {
    knownViolations = new Set((await verifyLedger(db)).violations.map((v) => v.message));
  });
  afterEach(async () => {
    const report = await verifyLedger(db);
    expect(report.violations.filter((v) => !knownViolations.has(v.message))).toEqual([]);
  });

  const spend = (amount: bigint, overrides: Partial<TransferRequest> = {}): TransferRequest =>
    ({
      phase: "single",
      key: key("spend"),
      debitAccountId: accounts.wallet,
      creditAccountId: accounts.invested,
      amount,
      kind: "invest",
      ...overrides,
    }) as TransferRequest;

  async function expectRefused(request: TransferRequest, code: LedgerError["code"]) {
    const before = await ledgerSnapshot(db);
    const error = await transfer(db, request).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LedgerError);
    expect(error).toMatchObject({ code });
    expect(await ledgerSnapshot(db)).toEqual(before);
  }

  async function wallet() {
    return accountByCode(db, `user:${userId}:wallet`);
  }

  describe("amounts", () => {
    it.each([
      ["zero", 0n],
      ["negative", -1n],
      ["overlong (79 digits)", 10n ** 78n],
      ["non-integer number", 1.5 as unknown as bigint],
      ["non-integer string", "1.5" as unknown as bigint],
      ["a float that happens to be whole", 2 as unknown as bigint],
      ["missing", undefined as unknown as bigint],
    ])("a %s amount is invalid_amount and writes nothing", async (_label, amount) => {
      await expectRefused(spend(amount), "invalid_amount");
    });

    it("the largest amount numeric(78,0) holds (78 digits) is accepted", async () => {
      const [from, to] = await Promise.all(
        ["from", "to"].map(async (side) => {
          const code = `test:big:${side}:${key("big")}`;
          const ids = await ensureAccounts(db, [{ code, kind: "fees", mustNotOverdraw: false }]);
          return ids.get(code)!;
        }),
      );
      const max = 10n ** 78n - 1n;
      expect(max.toString()).toHaveLength(78);
      const result = await transfer(db, {
        phase: "single",
        key: key("max"),
        debitAccountId: from!,
        creditAccountId: to!,
        amount: max,
        kind: "test",
      });
      expect(result.transfer.amount).toBe(max);
    });
  });

  describe("accounts and kinds", () => {
    it("an unknown debit or credit account is unknown_account and writes nothing", async () => {
      await expectRefused(spend(1n, { debitAccountId: 987_654_321n }), "unknown_account");
      await expectRefused(spend(1n, { creditAccountId: 987_654_321n }), "unknown_account");
    });

    it("an account is permanent: deleting one is refused, so no transfer loses its account", async () => {
      const code = `test:permanent:${key("permanent")}`;
      await ensureAccounts(db, [{ code, kind: "fees", mustNotOverdraw: false }]);
      const account = await accountByCode(db, code);
      const error = await sql`delete from ledger_accounts where id = ${String(account.id)}::bigint`
        .execute(db)
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(String(error)).toMatch(/ledger accounts are permanent/);
      expect(await accountByCode(db, code)).toEqual(account);
    });

    it("the same debit and credit account is same_account", async () => {
      await expectRefused(spend(1n, { creditAccountId: accounts.wallet }), "same_account");
    });

    it.each([
      ["empty", ""],
      ["upper case", "Invest"],
      ["with a space", "in vest"],
      ["starting with a digit", "1invest"],
      ["with punctuation", "invest!"],
      ["too long (41 characters)", `a${"b".repeat(40)}`],
      ["not a string", 42 as unknown as string],
    ])("a kind that is %s is invalid_kind", async (_label, kind) => {
      await expectRefused(spend(1n, { kind }), "invalid_kind");
    });

    it("an empty or overlong idempotency key is invalid_key", async () => {
      await expectRefused(spend(1n, { key: "" }), "invalid_key");
      await expectRefused(spend(1n, { key: "k".repeat(201) }), "invalid_key");
    });
  });

  describe("idempotency", () => {
    it("a replay with the same key returns the original transfer and moves nothing", async () => {
      const request = spend(30n, { memo: "first" });
      const first = await transfer(db, request);
      expect(first.isReplay).toBe(false);
      const afterFirst = await ledgerSnapshot(db);

      const again = await transfer(db, request);
      expect(again.isReplay).toBe(true);
      expect(again.transfer).toEqual(first.transfer);
      // A different memo does not change the terms: still the original.
      const withOtherMemo = await transfer(db, { ...request, memo: "second" });
      expect(withOtherMemo.isReplay).toBe(true);
      expect(withOtherMemo.transfer.memo).toBe("first");
      expect(await ledgerSnapshot(db)).toEqual(afterFirst);
      expect(await wallet()).toMatchObject({ creditsPosted: 100n, debitsPosted: 30n });
    });

    it("a replay still succeeds when the account could not pay it again", async () => {
      const request = spend(100n);
      await transfer(db, request);
      const again = await transfer(db, request);
      expect(again.isReplay).toBe(true);
    });

    it("the same key with different terms is idempotency_conflict and writes nothing", async () => {
      const request = spend(10n);
      await transfer(db, request);
      await expectRefused({ ...request, amount: 11n } as TransferRequest, "idempotency_conflict");
      await expectRefused(
        { ...request, creditAccountId: accounts.settled } as TransferRequest,
        "idempotency_conflict",
      );
      await expectRefused({ ...request, kind: "other" } as TransferRequest, "idempotency_conflict");
      await expectRefused(
        { ...request, phase: "pending" } as TransferRequest,
        "idempotency_conflict",
      );
    });

    it("racing duplicates of one key produce exactly one transfer", async () => {
      const request = spend(7n);
      const results = await Promise.all(Array.from({ length: 20 }, () => transfer(db, request)));
      expect(new Set(results.map((r) => r.transfer.id)).size).toBe(1);
      expect(results.filter((r) => !r.isReplay)).toHaveLength(1);
      expect(await wallet()).toMatchObject({ debitsPosted: 7n });
    });
  });

  describe("overdraft", () => {
    it("spending more than a must-not-overdraw account holds is insufficient_funds and writes nothing", async () => {
      await expectRefused(spend(101n), "insufficient_funds");
      await transfer(db, spend(100n));
      await expectRefused(spend(1n), "insufficient_funds");
      expect(await wallet()).toMatchObject({ creditsPosted: 100n, debitsPosted: 100n });
    });

    it("a pending debit reserves funds until it is voided", async () => {
      const hold = await transfer(db, spend(60n, { phase: "pending" }));
      await expectRefused(spend(41n), "insufficient_funds");
      await expectRefused(spend(41n, { phase: "pending" }), "insufficient_funds");
      await transfer(db, {
        phase: "void",
        key: key("void"),
        pendingId: hold.transfer.id,
        kind: "x",
      });
      await transfer(db, spend(100n));
      expect(await wallet()).toMatchObject({ debitsPending: 0n, debitsPosted: 100n });
    });

    it("pending credits cannot be spent before they are posted", async () => {
      const [otherId] = (await insertUsers(db, 1)) as [UserId];
      const other = await accountsOf(db, otherId);
      await transfer(db, {
        phase: "pending",
        key: key("incoming"),
        debitAccountId: accounts.wallet,
        creditAccountId: other.wallet,
        amount: 50n,
        kind: "gift",
      });
      await expectRefused(
        {
          phase: "single",
          key: key("spend-pending"),
          debitAccountId: other.wallet,
          creditAccountId: other.invested,
          amount: 1n,
          kind: "invest",
        },
        "insufficient_funds",
      );
    });
  });

  describe("two-phase transfers", () => {
    it("post moves a pending transfer to posted exactly once; a second resolution is pending_already_resolved; a replay returns the original", async () => {
      const pending = await transfer(db, spend(40n, { phase: "pending" }));
      expect(await wallet()).toMatchObject({ debitsPending: 40n, debitsPosted: 0n });
      const postKey = key("post");
      const posted = await transfer(db, {
        phase: "post",
        key: postKey,
        pendingId: pending.transfer.id,
        kind: "release",
      });
      expect(posted).toMatchObject({
        isReplay: false,
        transfer: {
          phase: "post",
          pendingId: pending.transfer.id,
          amount: 40n,
          debitAccountId: accounts.wallet,
          creditAccountId: accounts.invested,
        },
      });
      expect(await wallet()).toMatchObject({ debitsPending: 0n, debitsPosted: 40n });
      expect(await accountByCode(db, `user:${userId}:invested`)).toMatchObject({
        creditsPending: 0n,
        creditsPosted: 40n,
      });

      await expectRefused(
        { phase: "post", key: key("post-again"), pendingId: pending.transfer.id, kind: "release" },
        "pending_already_resolved",
      );
      await expectRefused(
        {
          phase: "void",
          key: key("void-after-post"),
          pendingId: pending.transfer.id,
          kind: "undo",
        },
        "pending_already_resolved",
      );
      const replay = await transfer(db, {
        phase: "post",
        key: postKey,
        pendingId: pending.transfer.id,
        kind: "release",
      });
      expect(replay).toEqual({ isReplay: true, transfer: posted.transfer });
    });

    it("void returns a pending transfer exactly once; a second resolution is pending_already_resolved; a replay returns the original", async () => {
      const pending = await transfer(db, spend(25n, { phase: "pending" }));
      const voidKey = key("void");
      const voided = await transfer(db, {
        phase: "void",
        key: voidKey,
        pendingId: pending.transfer.id,
        kind: "undo",
      });
      expect(voided.transfer).toMatchObject({ phase: "void", amount: 25n });
      expect(await wallet()).toMatchObject({ debitsPending: 0n, debitsPosted: 0n });
      await expectRefused(
        { phase: "void", key: key("void-again"), pendingId: pending.transfer.id, kind: "undo" },
        "pending_already_resolved",
      );
      await expectRefused(
        { phase: "post", key: key("post-after-void"), pendingId: pending.transfer.id, kind: "x" },
        "pending_already_resolved",
      );
      const replay = await transfer(db, {
        phase: "void",
        key: voidKey,
        pendingId: pending.transfer.id,
        kind: "undo",
      });
      expect(replay).toEqual({ isReplay: true, transfer: voided.transfer });
    });

    it("resolving something that is not a pending transfer is pending_not_found", async () => {
      const single = await transfer(db, spend(1n));
      await expectRefused(
        { phase: "post", key: key("post-single"), pendingId: single.transfer.id, kind: "x" },
        "pending_not_found",
      );
      await expectRefused(
        { phase: "void", key: key("void-missing"), pendingId: 987_654_321n, kind: "x" },
        "pending_not_found",
      );
    });

    it("a post and a void racing for one pending transfer: exactly one wins", async () => {
      const pending = await transfer(db, spend(10n, { phase: "pending" }));
      const outcomes = await Promise.allSettled([
        transfer(db, { phase: "post", key: key("p"), pendingId: pending.transfer.id, kind: "x" }),
        transfer(db, { phase: "void", key: key("v"), pendingId: pending.transfer.id, kind: "x" }),
        transfer(db, { phase: "post", key: key("p2"), pendingId: pending.transfer.id, kind: "x" }),
      ]);
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
      for (const o of outcomes) {
        if (o.status === "rejected")
          expect(o.reason).toMatchObject({ code: "pending_already_resolved" });
      }
      expect((await wallet()).debitsPending).toBe(0n);
    });
  });

  describe("linked batches (recordTransfers in one transaction)", () => {
    async function runBatch(requests: TransferRequest[]) {
      return db.transaction().execute((trx) => recordTransfers(trx, requests));
    }

    it("a good batch lands entirely", async () => {
      const results = await runBatch([spend(10n), spend(20n), spend(30n, { phase: "pending" })]);
      expect(results.map((r) => r.isReplay)).toEqual([false, false, false]);
      expect(await wallet()).toMatchObject({ debitsPosted: 30n, debitsPending: 30n });
    });

    it.each<[string, LedgerError["code"], () => Promise<TransferRequest>]>([
      ["an overdraft", "insufficient_funds", async () => spend(71n)],
      [
        "an unknown account",
        "unknown_account",
        async () => spend(1n, { creditAccountId: 987_654_321n }),
      ],
      ["an invalid amount", "invalid_amount", async () => spend(0n)],
      [
        "a key already used for other terms",
        "idempotency_conflict",
        async () => {
          const used = spend(1n);
          await transfer(db, used);
          return { ...used, amount: 2n } as TransferRequest;
        },
      ],
      [
        "a resolution of an already resolved pending transfer",
        "pending_already_resolved",
        async () => {
          const pending = await transfer(db, spend(1n, { phase: "pending" }));
          await transfer(db, {
            phase: "void",
            key: key("v"),
            pendingId: pending.transfer.id,
            kind: "x",
          });
          return { phase: "post", key: key("p"), pendingId: pending.transfer.id, kind: "x" };
        },
      ],
    ])("one bad transfer (%s) rolls back the whole batch", async (_label, code, bad) => {
      const badRequest = await bad();
      const before = await ledgerSnapshot(db);
      const error = await runBatch([spend(10n), spend(20n), badRequest]).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code });
      expect(await ledgerSnapshot(db)).toEqual(before);
    });

    it("the same key twice in one batch with different terms is idempotency_conflict and writes nothing", async () => {
      const k = key("twice");
      const before = await ledgerSnapshot(db);
      await expect(runBatch([spend(1n, { key: k }), spend(2n, { key: k })])).rejects.toMatchObject({
        code: "idempotency_conflict",
      });
      expect(await ledgerSnapshot(db)).toEqual(before);
    });

    it("the same key twice in one batch with the same terms is one transfer, applied to the balances once", async () => {
      const k = key("twice");
      const results = await runBatch([spend(3n, { key: k }), spend(3n, { key: k })]);
      expect(results[0]!.transfer.id).toBe(results[1]!.transfer.id);
      expect((await wallet()).debitsPosted).toBe(3n);
      expect((await accountByCode(db, `user:${userId}:invested`)).creditsPosted).toBe(3n);
    });

    it("post and void of the same pending transfer in one batch: the batch fails and writes nothing", async () => {
      const pending = await transfer(db, spend(5n, { phase: "pending" }));
      const before = await ledgerSnapshot(db);
      await expect(
        runBatch([
          { phase: "post", key: key("p"), pendingId: pending.transfer.id, kind: "x" },
          { phase: "void", key: key("v"), pendingId: pending.transfer.id, kind: "x" },
        ]),
      ).rejects.toMatchObject({ code: "pending_already_resolved" });
      expect(await ledgerSnapshot(db)).toEqual(before);
    });
  });
});
