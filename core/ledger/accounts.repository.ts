import { sql } from "kysely";
import type { Db } from "#db/create-db.ts";
import type { LedgerAccountKind } from "#db/schema.ts";

export type AccountBalances = {
  id: bigint;
  code: string;
  kind: LedgerAccountKind;
  userId: string | null;
  mustNotOverdraw: boolean;
  debitsPending: bigint;
  debitsPosted: bigint;
  creditsPending: bigint;
  creditsPosted: bigint;
};

export const accountCodes = {
  mint: "system:mint",
  fees: "system:fees",
  budget: (budgetId: string) => `budget:${budgetId}`,
  userWallet: (userId: string) => `user:${userId}:wallet`,
  userInvested: (userId: string) => `user:${userId}:invested`,
  userSettled: (userId: string) => `user:${userId}:settled`,
} as const;

type AccountRow = {
  id: bigint;
  code: string;
  kind: LedgerAccountKind;
  user_id: string | null;
  must_not_overdraw: boolean;
  debits_pending: string;
  debits_posted: string;
  credits_pending: string;
  credits_posted: string;
};

export function toAccountBalances(row: AccountRow): AccountBalances {
  return {
    id: row.id,
    code: row.code,
    kind: row.kind,
    userId: row.user_id,
    mustNotOverdraw: row.must_not_overdraw,
    debitsPending: BigInt(row.debits_pending),
    debitsPosted: BigInt(row.debits_posted),
    creditsPending: BigInt(row.credits_pending),
    creditsPosted: BigInt(row.credits_posted),
  };
}

/** What an account can still pay out: posted credits less posted and reserved debits. */
export function spendable(account: AccountBalances): bigint {
  return account.creditsPosted - account.debitsPosted - account.debitsPending;
}

export type NewAccount = {
  code: string;
  kind: LedgerAccountKind;
  userId?: string | null;
  budgetId?: string | null;
  mustNotOverdraw: boolean;
};

/** Creates the accounts that do not exist yet and returns the ids of all of them by code. */
export async function ensureAccounts(db: Db, accounts: NewAccount[]): Promise<Map<string, bigint>> {
  const ids = new Map<string, bigint>();
  if (accounts.length === 0) return ids;
  const codes = [...new Set(accounts.map((a) => a.code))];
  const existing = await db
    .selectFrom("ledger_accounts")
    .select(["id", "code"])
    .where("code", "in", codes)
    .execute();
  for (const row of existing) ids.set(row.code, row.id);
  const missing = accounts.filter((a) => !ids.has(a.code));
  if (missing.length > 0) {
    const unique = [...new Map(missing.map((a) => [a.code, a])).values()];
    await db
      .insertInto("ledger_accounts")
      .values(
        unique.map((a) => ({
          code: a.code,
          kind: a.kind,
          user_id: a.userId ?? null,
          budget_id: a.budgetId ?? null,
          must_not_overdraw: a.mustNotOverdraw,
        })),
      )
      .onConflict((oc) => oc.column("code").doNothing())
      .execute();
    const created = await db
      .selectFrom("ledger_accounts")
      .select(["id", "code"])
      .where(
        "code",
        "in",
        unique.map((a) => a.code),
      )
      .execute();
    for (const row of created) ids.set(row.code, row.id);
  }
  return ids;
}

/** The account rewards are paid into; the only user account the reward path touches. */
export function userWalletAccount(userId: string): NewAccount {
  return {
    code: accountCodes.userWallet(userId),
    kind: "user_wallet",
    userId,
    mustNotOverdraw: true,
  };
}

export function userAccounts(userId: string): NewAccount[] {
  return [
    userWalletAccount(userId),
    {
      code: accountCodes.userInvested(userId),
      kind: "user_invested",
      userId,
      mustNotOverdraw: true,
    },
    { code: accountCodes.userSettled(userId), kind: "user_settled", userId, mustNotOverdraw: true },
  ];
}

export function budgetAccount(budgetId: string): NewAccount {
  return { code: accountCodes.budget(budgetId), kind: "budget", budgetId, mustNotOverdraw: true };
}

export const mintAccount: NewAccount = {
  code: accountCodes.mint,
  kind: "mint",
  mustNotOverdraw: false,
};

/**
 * Locks accounts for update (NO KEY UPDATE, so inserts that reference them are not
 * blocked) in the global lock order: users' accounts by id, then shared accounts
 * (budgets, mint, fees) by id. The shared rows are the contended ones, so every
 * transaction takes them last and holds them as briefly as it can. `which` narrows the
 * lock to users' accounts only.
 */
export async function lockAccounts(
  db: Db,
  ids: readonly bigint[],
  which: "all" | "users" = "all",
): Promise<AccountBalances[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<AccountRow>`
    select id, code, kind, user_id, must_not_overdraw,
           debits_pending, debits_posted, credits_pending, credits_posted
    from ledger_accounts
    where id = any(${sql.val([...new Set(ids)].map(String))}::bigint[])
      ${which === "users" ? sql`and user_id is not null` : sql``}
    order by (user_id is null), id
    for no key update`.execute(db);
  return rows.map(toAccountBalances);
}

export async function findAccountsByCode(db: Db, codes: string[]): Promise<AccountBalances[]> {
  if (codes.length === 0) return [];
  const rows = await db
    .selectFrom("ledger_accounts")
    .select([
      "id",
      "code",
      "kind",
      "user_id",
      "must_not_overdraw",
      "debits_pending",
      "debits_posted",
      "credits_pending",
      "credits_posted",
    ])
    .where("code", "in", codes)
    .execute();
  return rows.map(toAccountBalances);
}
