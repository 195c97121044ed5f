import { sql } from "kysely";
import type { Db } from "#db/create-db.ts";
import type { SiweNonceRow, SiweNoncePurpose, WalletLinkRow } from "#db/schema.ts";
import type { UserId } from "../auth/ids.ts";

/** Used and expired nonces are kept this long after expiry, so a replay is named as one. */
const NONCE_RETENTION_MS = 24 * 60 * 60 * 1000;

export async function insertNonce(
  db: Db,
  nonce: {
    nonce: string;
    purpose: SiweNoncePurpose;
    userId: UserId | null;
    now: Date;
    expiresAt: Date;
  },
): Promise<void> {
  await db
    .insertInto("siwe_nonces")
    .values({
      nonce: nonce.nonce,
      purpose: nonce.purpose,
      user_id: nonce.userId,
      created_at: nonce.now,
      expires_at: nonce.expiresAt,
    })
    .execute();
}

export async function deleteStaleNonces(db: Db, now: Date): Promise<void> {
  await db
    .deleteFrom("siwe_nonces")
    .where("expires_at", "<", new Date(now.getTime() - NONCE_RETENTION_MS))
    .execute();
}

/** The nonce row, locked until the transaction ends: of two racing uses, one waits and sees it used. */
export function lockNonce(trx: Db, nonce: string): Promise<SiweNonceRow | undefined> {
  return trx
    .selectFrom("siwe_nonces")
    .selectAll()
    .where("nonce", "=", nonce)
    .forUpdate()
    .executeTakeFirst();
}

export async function markNonceUsed(trx: Db, nonce: string, now: Date): Promise<boolean> {
  const result = await trx
    .updateTable("siwe_nonces")
    .set({ used_at: now })
    .where("nonce", "=", nonce)
    .where("used_at", "is", null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Serialises one user's link changes (two tabs linking at once) without blocking inserts that reference the user. */
export async function lockUser(trx: Db, userId: UserId): Promise<void> {
  await trx.selectFrom("users").select("id").where("id", "=", userId).forNoKeyUpdate().execute();
}

export function findActiveLinkOfUser(db: Db, userId: UserId): Promise<WalletLinkRow | undefined> {
  return db
    .selectFrom("wallet_links")
    .selectAll()
    .where("user_id", "=", userId)
    .where("unlinked_at", "is", null)
    .executeTakeFirst();
}

export function findActiveLinkOfAddress(
  db: Db,
  address: string,
): Promise<WalletLinkRow | undefined> {
  return db
    .selectFrom("wallet_links")
    .selectAll()
    .where(sql<string>`lower(address)`, "=", address.toLowerCase())
    .where("unlinked_at", "is", null)
    .executeTakeFirst();
}

export function insertLink(
  trx: Db,
  link: {
    userId: UserId;
    address: string;
    chainId: number;
    message: string;
    signature: string;
    now: Date;
  },
): Promise<WalletLinkRow> {
  return trx
    .insertInto("wallet_links")
    .values({
      user_id: link.userId,
      address: link.address,
      chain_id: link.chainId,
      kind: "siwe",
      siwe_message: link.message,
      signature: link.signature,
      linked_at: link.now,
      // A signed link proves control of the address: it receives at once.
      receives_from: link.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function endActiveLink(
  db: Db,
  userId: UserId,
  now: Date,
): Promise<WalletLinkRow | undefined> {
  return (
    db
      .updateTable("wallet_links")
      // Another instance's clock may be a little behind the one that linked.
      .set({ unlinked_at: sql<Date>`greatest(${now}::timestamptz, linked_at)` })
      .where("user_id", "=", userId)
      .where("unlinked_at", "is", null)
      .returningAll()
      .executeTakeFirst()
  );
}

/** Newest first. */
export function listLinksOfUser(db: Db, userId: UserId, limit: number): Promise<WalletLinkRow[]> {
  return db
    .selectFrom("wallet_links")
    .selectAll()
    .where("user_id", "=", userId)
    .orderBy("linked_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}

/** Active links whose cooling-off (if any) is over at `now`: the addresses settlement pays. */
export function listActiveLinks(
  db: Db,
  now: Date,
): Promise<{ user_id: string; address: string }[]> {
  return db
    .selectFrom("wallet_links")
    .select(["user_id", "address"])
    .where("unlinked_at", "is", null)
    .where("receives_from", "<=", now)
    .orderBy("user_id")
    .execute();
}
