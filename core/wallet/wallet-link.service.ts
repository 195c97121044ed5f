import type { Db } from "#db/create-db.ts";
import { addressForLimits } from "#core/auth/client-address.ts";
import type { AuthPolicy, ClientInfo, SignedIn } from "../auth/account.service.ts";
import type { UserId } from "../auth/ids.ts";
import { countAttempt } from "../auth/rate-limit.repository.ts";
import { createSession, invalidateSession } from "../auth/session.service.ts";
import { findUserById } from "../auth/user.repository.ts";
import { toUser } from "../auth/user.ts";
import { err, ok, type Result } from "../result.ts";
import {
  generateNonce,
  SIWE_DEFAULT_CHAIN_ID,
  SIWE_NONCE_TTL_MS,
  siweStatements,
  verifySiweMessage,
  type SiweExpectations,
  type VerifiedSiweMessage,
} from "./siwe.ts";
import {
  deleteStaleNonces,
  endActiveLink,
  findActiveLinkOfAddress,
  findActiveLinkOfUser,
  insertLink,
  insertNonce,
  listActiveLinks,
  listLinksOfUser,
  lockNonce,
  lockUser,
  markNonceUsed,
} from "./wallet-link.repository.ts";
import {
  toWalletLink,
  walletLinkMessages,
  type IssueNonceFailure,
  type LinkWalletFailure,
  type SignInWithEthereumFailure,
  type SiweFailure,
  type SiwePurpose,
  type UnlinkWalletFailure,
  type WalletLink,
} from "./wallet-link.ts";

/** What a client needs to write the message: the nonce, and hints for the other fields. */
export type IssuedNonce = {
  nonce: string;
  purpose: SiwePurpose;
  issuedAt: Date;
  /** The nonce is refused after this; a message should not outlive it either. */
  expiresAt: Date;
  domain: string;
  uri: string;
  chainId: number;
  statement: string;
  version: "1";
};

export type NonceRequest =
  { purpose: "link"; userId: UserId } | { purpose: "sign-in"; ip: string | null };

/** A signed EIP-4361 message and the site it was sent to. */
export type SignedSiweMessage = {
  message: string;
  signature: string;
  expected: SiweExpectations;
};

export type LinkWalletOutcome = {
  link: WalletLink;
  /** The address this link replaced, if the user had another one. */
  replaced: WalletLink | null;
  /** The same address was already linked to this user: nothing changed. */
  isUnchanged: boolean;
};

export type SignedInWithEthereum = SignedIn & { link: WalletLink };

/**
 * Issues a single-use nonce for a Sign-In with Ethereum message. A link nonce belongs to
 * the signed-in user; sign-in nonces are counted against the caller's network like
 * password sign-in attempts, since anyone may ask for one.
 */
export async function issueSiweNonce(
  db: Db,
  policy: Pick<AuthPolicy, "signInLimits">,
  request: NonceRequest,
  expected: SiweExpectations,
  now = new Date(),
): Promise<Result<IssuedNonce, IssueNonceFailure>> {
  if (request.purpose === "sign-in" && request.ip) {
    const limits = policy.signInLimits;
    const ip = await countAttempt(
      db,
      `siwe-nonce:ip:${addressForLimits(request.ip)}`,
      limits.windowMs,
    );
    if (ip.attempts > limits.perIp) {
      const seconds = Math.max(1, Math.ceil((ip.windowEndsAt.getTime() - Date.now()) / 1000));
      const minutes = Math.ceil(seconds / 60);
      return err({
        kind: "rate-limited",
        message: `Too many sign-in attempts from your network. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
        retryAfterSeconds: seconds,
      });
    }
  }
  await deleteStaleNonces(db, now);
  const nonce = generateNonce();
  const expiresAt = new Date(now.getTime() + SIWE_NONCE_TTL_MS);
  await insertNonce(db, {
    nonce,
    purpose: request.purpose,
    userId: request.purpose === "link" ? request.userId : null,
    now,
    expiresAt,
  });
  return ok({
    nonce,
    purpose: request.purpose,
    issuedAt: now,
    expiresAt,
    domain: expected.domain,
    uri: expected.origin,
    chainId: SIWE_DEFAULT_CHAIN_ID,
    statement: siweStatements[request.purpose],
    version: "1",
  });
}

/** Thrown inside a transaction to roll it back and hand the failure out as a value. */
class RolledBack<E> extends Error {
  constructor(readonly failure: E) {
    super("rolled back");
  }
}

/** Runs `work` in a transaction that commits only when it returns ok: a failure writes nothing. */
async function inAllOrNothingTransaction<T, E>(
  db: Db,
  work: (trx: Db) => Promise<Result<T, E>>,
): Promise<Result<T, E>> {
  try {
    return await db.transaction().execute(async (trx) => {
      const result = await work(trx);
      if (!result.ok) throw new RolledBack(result.error);
      return result;
    });
  } catch (error) {
    if (error instanceof RolledBack) return err(error.failure as E);
    throw error;
  }
}

const nonceFailure = (code: SiweFailure["code"], message: string): SiweFailure => ({
  kind: "siwe",
  code,
  message,
});

/**
 * Spends the message's nonce, or says why it cannot be spent. The row is locked first,
 * so of two racing uses exactly one gets through; the other then sees it used.
 */
async function spendNonce(
  trx: Db,
  verified: VerifiedSiweMessage,
  purpose: SiwePurpose,
  userId: UserId | null,
  now: Date,
): Promise<SiweFailure | null> {
  const row = await lockNonce(trx, verified.nonce);
  if (!row) {
    return nonceFailure(
      "unknown_nonce",
      "Tributary did not issue this message's nonce — request a new one.",
    );
  }
  if (row.purpose !== purpose) {
    return nonceFailure(
      "wrong_purpose",
      purpose === "link"
        ? "This message was requested for signing in, not for linking a wallet — request a new one."
        : "This message was requested for linking a wallet, not for signing in — request a new one.",
    );
  }
  if (purpose === "link" && row.user_id !== userId) {
    return nonceFailure(
      "wrong_account",
      "This message was requested by another Tributary account — request a new one while signed in as yourself.",
    );
  }
  if (row.used_at !== null) {
    return nonceFailure("nonce_used", "This message was already used — request a new one.");
  }
  if (row.expires_at.getTime() <= now.getTime()) {
    return nonceFailure("nonce_expired", "This sign-in message has expired — request a new one.");
  }
  if (!(await markNonceUsed(trx, verified.nonce, now))) {
    // Unreachable while the row is locked; refuse rather than link twice.
    return nonceFailure("nonce_used", "This message was already used — request a new one.");
  }
  return null;
}

function isActiveAddressConflict(error: unknown): boolean {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  return (
    typeof e === "object" &&
    e !== null &&
    e.code === "23505" &&
    e.constraint === "wallet_links_active_address_key"
  );
}

/**
 * Links the address that signed `message` to the user, replacing the user's previous
 * address (kept as history). The message must name this site, be fresh, carry a link
 * nonce issued to this user, and be signed by the address it names. Nothing is written
 * unless it all holds.
 */
export async function linkWallet(
  db: Db,
  userId: UserId,
  input: SignedSiweMessage,
  now = new Date(),
): Promise<Result<LinkWalletOutcome, LinkWalletFailure>> {
  const verified = await verifySiweMessage(input, input.expected, now);
  if (!verified.ok) return verified;
  const { address, chainId, message, signature } = verified.value;

  return inAllOrNothingTransaction<LinkWalletOutcome, LinkWalletFailure>(db, async (trx) => {
    await lockUser(trx, userId);
    const nonceProblem = await spendNonce(trx, verified.value, "link", userId, now);
    if (nonceProblem) return err(nonceProblem);

    const holder = await findActiveLinkOfAddress(trx, address);
    if (holder && holder.user_id !== userId) {
      return err({ kind: "address-taken", message: walletLinkMessages.addressTaken });
    }
    // Signing for an address the user pasted proves it: it now receives at once.
    if (holder && holder.kind === "siwe") {
      return ok({ link: toWalletLink(holder), replaced: null, isUnchanged: true });
    }

    const replaced = await endActiveLink(trx, userId, now);
    try {
      const row = await insertLink(trx, { userId, address, chainId, message, signature, now });
      return ok({
        link: toWalletLink(row),
        replaced: replaced ? toWalletLink(replaced) : null,
        isUnchanged: false,
      });
    } catch (error) {
      // Another account linked the same address a moment ago.
      if (isActiveAddressConflict(error)) {
        return err({ kind: "address-taken", message: walletLinkMessages.addressTaken });
      }
      throw error;
    }
  });
}

/** Ends the user's active link; the row stays as history and the address is free again. */
export async function unlinkWallet(
  db: Db,
  userId: UserId,
  now = new Date(),
): Promise<Result<WalletLink, UnlinkWalletFailure>> {
  const row = await endActiveLink(db, userId, now);
  if (!row) return err({ kind: "not-linked", message: walletLinkMessages.notLinked });
  return ok(toWalletLink(row));
}

/**
 * Opens a session for the user whose active link is the address that signed `message`,
 * checked like a link (with a sign-in nonce). As password sign-in, a session this browser
 * already had is replaced.
 */
export async function signInWithEthereum(
  db: Db,
  policy: Pick<AuthPolicy, "session">,
  input: SignedSiweMessage,
  client: ClientInfo,
  now = new Date(),
): Promise<Result<SignedInWithEthereum, SignInWithEthereumFailure>> {
  const verified = await verifySiweMessage(input, input.expected, now);
  if (!verified.ok) return verified;

  return inAllOrNothingTransaction<SignedInWithEthereum, SignInWithEthereumFailure>(
    db,
    async (trx) => {
      const nonceProblem = await spendNonce(trx, verified.value, "sign-in", null, now);
      if (nonceProblem) return err(nonceProblem);
      const linkRow = await findActiveLinkOfAddress(trx, verified.value.address);
      // A pasted address was never shown to be the user's (it may be an exchange's deposit
      // address): whoever holds its key must not get into the account that pasted it.
      const isSigned = linkRow?.kind === "siwe";
      const userRow =
        linkRow && isSigned ? await findUserById(trx, linkRow.user_id as UserId) : undefined;
      if (!linkRow || !userRow) {
        return err({
          kind: "no-account-for-address",
          message: walletLinkMessages.noAccountForAddress,
        });
      }
      const user = toUser(userRow);
      const session = await createSession(trx, policy.session, user.id, client);
      // Signing in again from a signed-in browser must not leave the old session alive.
      if (client.currentSessionId) await invalidateSession(trx, client.currentSessionId);
      return ok({ user, ...session, link: toWalletLink(linkRow) });
    },
  );
}

/** The user's active link, or null. */
export async function getLinkedWallet(db: Db, userId: UserId): Promise<WalletLink | null> {
  const row = await findActiveLinkOfUser(db, userId);
  return row ? toWalletLink(row) : null;
}

export const WALLET_LINK_HISTORY_MAX = 100;

/** Every address the user linked, newest first, the active one included. */
export async function listWalletLinkHistory(
  db: Db,
  userId: UserId,
  options: { limit?: number } = {},
): Promise<WalletLink[]> {
  const limit = Math.min(Math.max(1, options.limit ?? 20), WALLET_LINK_HISTORY_MAX);
  const rows = await listLinksOfUser(db, userId, limit);
  return rows.map(toWalletLink);
}

/**
 * Every active link that receives at `now`: who settles to which address (EIP-55
 * checksummed, as stored — the form settlement keys addresses by, so nothing re-checksums
 * a million of them), ordered by user id. For settlement, which pays only users with a
 * linked address; a pasted address still in its cooling-off is left out, so its user's
 * balance stays available until a later epoch.
 */
export async function listActiveWalletLinks(
  db: Db,
  now: Date = new Date(),
): Promise<{ userId: UserId; address: `0x${string}` }[]> {
  const rows = await listActiveLinks(db, now);
  return rows.map((row) => ({
    userId: row.user_id as UserId,
    address: row.address as `0x${string}`,
  }));
}
