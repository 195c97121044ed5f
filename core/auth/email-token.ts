import { sha256 } from "@oslojs/crypto/sha2";
import type { Db } from "#db/create-db.ts";
import type { EmailTokenPurpose, EmailTokenRow } from "#db/schema-account-safety.ts";
import { err, ok, type Result } from "../result.ts";
import {
  deleteStaleEmailTokens,
  findEmailToken,
  insertEmailToken,
  retireEmailTokens,
  spendEmailToken,
} from "./email-token.repository.ts";
import type { UserId } from "./ids.ts";

// 32 characters from a 32-letter alphabet = 160 bits from the system's CSPRNG.
const alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
const TOKEN_LENGTH = 32;
const tokenPattern = new RegExp(`^[${alphabet}]{${TOKEN_LENGTH}}$`);

export const VERIFY_EMAIL_TTL_MS = 48 * 60 * 60 * 1000;
export const RESET_PASSWORD_TTL_MS = 30 * 60 * 1000;

export type LinkFailure = {
  kind: "invalid-link";
  reason: "unknown" | "used" | "expired";
  message: string;
};

const linkMessages: Record<LinkFailure["reason"], Record<EmailTokenPurpose, string>> = {
  unknown: {
    "verify-email": "This verification link is not valid. Ask for a new one from your settings.",
    "reset-password": "This reset link is not valid. Ask for a new one.",
  },
  used: {
    "verify-email": "This verification link has already been used.",
    "reset-password": "This reset link has already been used. Ask for a new one if you need to.",
  },
  expired: {
    "verify-email": "This verification link has expired. Ask for a new one from your settings.",
    "reset-password": "This reset link has expired. Ask for a new one.",
  },
};

function linkFailure(reason: LinkFailure["reason"], purpose: EmailTokenPurpose): LinkFailure {
  return { kind: "invalid-link", reason, message: linkMessages[reason][purpose] };
}

function hashToken(token: string): Uint8Array {
  return sha256(new TextEncoder().encode(token));
}

function randomToken(): string {
  const bytes = new Uint8Array(TOKEN_LENGTH);
  crypto.getRandomValues(bytes);
  let out = "";
  // 256 is a multiple of 32, so `byte >> 3` is uniform over the alphabet.
  for (const byte of bytes) out += alphabet[byte >> 3];
  return out;
}

/**
 * Issues a single-use link token for `email`; only its hash is stored. A new reset
 * token retires the older ones, so only the newest reset link works.
 */
export async function issueEmailToken(
  db: Db,
  purpose: EmailTokenPurpose,
  user: { id: UserId; email: string },
  now: Date,
): Promise<string> {
  const token = randomToken();
  const ttl = purpose === "reset-password" ? RESET_PASSWORD_TTL_MS : VERIFY_EMAIL_TTL_MS;
  await deleteStaleEmailTokens(db, now);
  if (purpose === "reset-password") await retireEmailTokens(db, user.id, purpose, now);
  await insertEmailToken(db, {
    purpose,
    userId: user.id,
    email: user.email,
    tokenHash: hashToken(token),
    now,
    expiresAt: new Date(now.getTime() + ttl),
  });
  return token;
}

/** Spends a token once; a forged, used or expired one is refused and nothing changes. */
export async function spendToken(
  db: Db,
  purpose: EmailTokenPurpose,
  token: string,
  now: Date,
): Promise<Result<EmailTokenRow, LinkFailure>> {
  const trimmed = token.trim();
  if (!tokenPattern.test(trimmed)) return err(linkFailure("unknown", purpose));
  const hash = hashToken(trimmed);
  const spent = await spendEmailToken(db, purpose, hash, now);
  if (spent) return ok(spent);
  const found = await findEmailToken(db, purpose, hash);
  if (!found) return err(linkFailure("unknown", purpose));
  return err(linkFailure(found.used_at ? "used" : "expired", purpose));
}
