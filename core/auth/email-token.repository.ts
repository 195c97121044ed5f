import type { Db } from "#db/create-db.ts";
import type { EmailTokenPurpose, EmailTokenRow } from "#db/schema-account-safety.ts";
import type { UserId } from "./ids.ts";

export async function insertEmailToken(
  db: Db,
  token: {
    purpose: EmailTokenPurpose;
    userId: UserId;
    email: string;
    tokenHash: Uint8Array;
    now: Date;
    expiresAt: Date;
  },
): Promise<void> {
  await db
    .insertInto("email_tokens")
    .values({
      purpose: token.purpose,
      user_id: token.userId,
      email: token.email,
      token_hash: token.tokenHash,
      created_at: token.now,
      expires_at: token.expiresAt,
    })
    .execute();
}

/**
 * Spends a token in one statement: only an unused, unexpired token of this purpose
 * matches, so of two racing clicks exactly one gets the row back.
 */
export function spendEmailToken(
  db: Db,
  purpose: EmailTokenPurpose,
  tokenHash: Uint8Array,
  now: Date,
): Promise<EmailTokenRow | undefined> {
  return db
    .updateTable("email_tokens")
    .set({ used_at: now })
    .where("token_hash", "=", tokenHash)
    .where("purpose", "=", purpose)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .returningAll()
    .executeTakeFirst();
}

export function findEmailToken(
  db: Db,
  purpose: EmailTokenPurpose,
  tokenHash: Uint8Array,
): Promise<EmailTokenRow | undefined> {
  return db
    .selectFrom("email_tokens")
    .selectAll()
    .where("token_hash", "=", tokenHash)
    .where("purpose", "=", purpose)
    .executeTakeFirst();
}

/** Ends every unused link of this purpose, so only the newest reset link works. */
export async function retireEmailTokens(
  db: Db,
  userId: UserId,
  purpose: EmailTokenPurpose,
  now: Date,
): Promise<void> {
  await db
    .updateTable("email_tokens")
    .set({ expires_at: now })
    .where("user_id", "=", userId)
    .where("purpose", "=", purpose)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .execute();
}

/** Forgets tokens that ended more than a day ago (kept that long to explain a stale click). */
export async function deleteStaleEmailTokens(db: Db, now: Date): Promise<void> {
  await db
    .deleteFrom("email_tokens")
    .where("expires_at", "<", new Date(now.getTime() - 24 * 60 * 60 * 1000))
    .execute();
}
