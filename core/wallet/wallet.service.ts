import type { UserId } from "#core/auth/ids.ts";
import {
  accountCodes,
  findAccountsByCode,
  spendable,
  type AccountBalances,
} from "#core/ledger/accounts.repository.ts";
import type { Db } from "#db/create-db.ts";
import type { TransferPhase } from "#db/schema.ts";
import {
  familiesOf,
  rewardStreams,
  streamOf,
  type RewardStream,
} from "#core/rewards/reward-streams.ts";
import {
  findNextUnlock,
  listTransfersTouchingUser,
  type ActionFamilyFilter,
} from "./wallet.repository.ts";

export type WalletSummary = {
  /** Released rewards the user can invest, settle or claim. */
  available: bigint;
  /** Rewards still on hold, and when the next of them unlocks. */
  pending: bigint;
  nextUnlockAt: Date | null;
  invested: bigint;
  settled: bigint;
};

export type WalletBalance = Pick<WalletSummary, "available" | "pending">;

/**
 * What the header shows on every page: available and pending, from the wallet account
 * alone (one read; getWalletSummary also reads the other accounts and the next unlock).
 */
export async function getWalletBalance(db: Db, userId: UserId): Promise<WalletBalance> {
  const [wallet] = await findAccountsByCode(db, [accountCodes.userWallet(userId)]);
  return wallet ? walletBalance(wallet) : { available: 0n, pending: 0n };
}

function walletBalance(wallet: AccountBalances): WalletBalance {
  return {
    available: spendable(wallet),
    pending: wallet.creditsPending,
  };
}

/** The user's balances, straight from their ledger accounts. */
export async function getWalletSummary(db: Db, userId: UserId): Promise<WalletSummary> {
  const accounts = await findAccountsByCode(db, [
    accountCodes.userWallet(userId),
    accountCodes.userInvested(userId),
    accountCodes.userSettled(userId),
  ]);
  const byCode = new Map(accounts.map((a) => [a.code, a]));
  const wallet = byCode.get(accountCodes.userWallet(userId));
  const balance = (code: string) => {
    const a = byCode.get(code);
    return a ? a.creditsPosted - a.debitsPosted : 0n;
  };
  const nextUnlockAt = await findNextUnlock(db, userId);
  return {
    ...(wallet ? walletBalance(wallet) : { available: 0n, pending: 0n }),
    nextUnlockAt,
    invested: balance(accountCodes.userInvested(userId)),
    settled: balance(accountCodes.userSettled(userId)),
  };
}

export type WalletEntry = {
  transferId: bigint;
  kind: string;
  phase: TransferPhase;
  /** Signed from the user's side: positive when money comes in. */
  amount: bigint;
  /** Which of the user's balances it touches. */
  balance: "pending" | "available" | "invested" | "settled";
  memo: string;
  createdAt: Date;
  /** The income stream of the reward it pays, releases or undoes; null for other transfers. */
  stream: RewardStream | null;
};

export type WalletCursor = bigint;

const balanceNames: Record<string, WalletEntry["balance"]> = {
  user_wallet: "available",
  user_invested: "invested",
  user_settled: "settled",
};

function describeKind(kind: string, phase: TransferPhase, memo: string | null): string {
  const what = memo ?? kind;
  if (phase === "pending") return `${what} (on hold)`;
  // The amount already showed once as pending: this moves it, it does not add it again.
  if (phase === "post") return `Moved from pending to available: ${what}`;
  if (phase === "void") return `Undone: ${what}`;
  return what;
}

// A family no stream names: the stream it falls into is the catch-all.
const UNNAMED_FAMILY = "\u0000";

/** The SQL filter for one stream's action-kind families. */
function familyFilter(stream: RewardStream): ActionFamilyFilter {
  return {
    families: familiesOf(stream),
    isCatchAll: streamOf(UNNAMED_FAMILY) === stream,
    knownFamilies: rewardStreams.flatMap(familiesOf),
  };
}

/**
 * Every transfer touching the user's accounts, newest first, keyset-paginated on the
 * transfer id (`after` is the last id seen), with its cause in words. With `stream`, only
 * the transfers of that stream's rewards (filtered in SQL, so pages stay full).
 */
export async function listWalletEntries(
  db: Db,
  userId: UserId,
  page: { limit: number; after?: WalletCursor | null; stream?: RewardStream | null },
): Promise<WalletEntry[]> {
  const rows = await listTransfersTouchingUser(db, userId, {
    limit: page.limit,
    after: page.after,
    families: page.stream ? familyFilter(page.stream) : null,
  });
  return rows.map((row) => {
    const isCredit = row.credit_user === userId;
    const own = isCredit ? row.credit_kind : row.debit_kind;
    const amount = BigInt(row.amount);
    const balance: WalletEntry["balance"] =
      row.phase === "pending" || row.phase === "void"
        ? "pending"
        : (balanceNames[own] ?? "available");
    const signed = row.phase === "void" ? -amount : isCredit ? amount : -amount;
    return {
      transferId: BigInt(row.id),
      kind: row.kind,
      phase: row.phase,
      amount: signed,
      balance,
      memo: describeKind(row.kind, row.phase, row.memo),
      createdAt: row.created_at,
      stream: row.action_kind === null ? null : streamOf(row.action_kind),
    };
  });
}
