import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import type { UserId } from "#core/auth/ids.ts";
import {
  ensureAccounts,
  findAccountsByCode,
  mintAccount,
  userAccounts,
  type AccountBalances,
} from "#core/ledger/accounts.repository.ts";
import type { Db } from "#db/create-db.ts";

export const MICRO = 10n ** 18n;
export const DAY_MS = 86_400_000;

/**
 * Inserts users straight into the table (no password hashing), `ageMs` old, so suites
 * can have hundreds of payees cheaply. Accounts older than the review period get
 * ordinary holds; younger ones are held for review.
 */
export async function insertUsers(
  db: Db,
  count: number,
  options: { ageMs?: number; now?: Date } = {},
): Promise<UserId[]> {
  const createdAt = new Date(
    (options.now ?? new Date()).getTime() - (options.ageMs ?? 30 * DAY_MS),
  );
  const rows = Array.from({ length: count }, () => {
    const suffix = randomBytes(6).toString("hex");
    return {
      handle: `u_${suffix}`,
      email: `u_${suffix}@example.com`,
      display_name: `User ${suffix}`,
      password_hash: "not-a-password-hash",
      created_at: createdAt,
      // Established members: the ledger's tests are about money, not about newcomers' review.
      email_verified_at: createdAt,
      activated_at: createdAt,
    };
  });
  const ids: UserId[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    const inserted = await db
      .insertInto("users")
      .values(rows.slice(i, i + 500))
      .returning("id")
      .execute();
    ids.push(...inserted.map((row) => row.id as UserId));
  }
  return ids;
}

/** A user's three ledger accounts (wallet, invested, settled) and the mint, by code. */
export async function accountsOf(db: Db, userId: UserId) {
  const ids = await ensureAccounts(db, [...userAccounts(userId), mintAccount]);
  return {
    wallet: ids.get(`user:${userId}:wallet`)!,
    invested: ids.get(`user:${userId}:invested`)!,
    settled: ids.get(`user:${userId}:settled`)!,
    mint: ids.get(mintAccount.code)!,
  };
}

export async function accountByCode(db: Db, code: string): Promise<AccountBalances> {
  const [account] = await findAccountsByCode(db, [code]);
  if (!account) throw new Error(`no account ${code}`);
  return account;
}

export async function countRows(
  db: Db,
  table: "ledger_transfers" | "ledger_accounts" | "rewards",
): Promise<number> {
  const { rows } = await sql<{ n: string }>`select count(*)::text as n from ${sql.table(
    table,
  )}`.execute(db);
  return Number(rows[0]!.n);
}

/** Every account's balance columns, to prove that a failed call wrote nothing. */
export async function ledgerSnapshot(db: Db) {
  const { rows } = await sql<Record<string, string>>`
    select id::text, debits_pending::text, debits_posted::text, credits_pending::text,
           credits_posted::text
    from ledger_accounts order by id`.execute(db);
  return { accounts: rows, transfers: await countRows(db, "ledger_transfers") };
}
