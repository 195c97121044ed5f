import { sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import type { Db } from "#db/create-db.ts";
import type { SessionRow } from "#db/schema.ts";
import type { SessionId, UserId } from "./ids.ts";
import {
  deleteSession,
  deleteSessionsOfUser,
  findSessionWithUser,
  findSessionLastVerifiedAt,
  insertSession,
  listSessionsOfUser,
  touchSession,
} from "./session.repository.ts";
import { toUser, type User } from "./user.ts";

// As the Lucia guide: ids and secrets of 24 characters from a 32-letter alphabet = 120 bits each.
const alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
const TOKEN_PART_LENGTH = 24;
// Writing last_verified_at on every request would turn every read into a write.
const ACTIVITY_CHECK_INTERVAL_MS = 60 * 60 * 1000;

export type SessionPolicy = { inactivityMs: number };

export type Session = {
  id: SessionId;
  userId: UserId;
  createdAt: Date;
  lastVerifiedAt: Date;
  expiresAt: Date;
  userAgent: string | null;
  ip: string | null;
};

/** What the cookie carries; the secret half is never stored, only its hash. */
export type SessionToken = string & { readonly __brand: "SessionToken" };

export type NewSession = { session: Session; token: SessionToken };

export type ValidatedSession = {
  session: Session;
  user: User;
  /** True when the expiry moved forward, so the cookie should be sent again. */
  isRenewed: boolean;
};

function randomTokenPart(): string {
  const bytes = new Uint8Array(TOKEN_PART_LENGTH);
  crypto.getRandomValues(bytes);
  let out = "";
  // 256 is a multiple of 32, so `byte >> 3` is uniform over the alphabet.
  for (const byte of bytes) out += alphabet[byte >> 3];
  return out;
}

function hashSecret(secret: string): Uint8Array {
  return sha256(new TextEncoder().encode(secret));
}

function toSession(row: SessionRow, policy: SessionPolicy): Session {
  return {
    id: row.id as SessionId,
    userId: row.user_id as UserId,
    createdAt: row.created_at,
    lastVerifiedAt: row.last_verified_at,
    expiresAt: new Date(row.last_verified_at.getTime() + policy.inactivityMs),
    userAgent: row.user_agent,
    ip: row.ip,
  };
}

export async function createSession(
  db: Db,
  policy: SessionPolicy,
  userId: UserId,
  client: { userAgent?: string | null; ip?: string | null } = {},
  now = new Date(),
): Promise<NewSession> {
  const id = randomTokenPart() as SessionId;
  const secret = randomTokenPart();
  const userAgent = client.userAgent?.slice(0, 400) ?? null;
  const ip = client.ip ?? null;
  await insertSession(db, { id, userId, secretHash: hashSecret(secret), now, userAgent, ip });
  return {
    token: `${id}.${secret}` as SessionToken,
    session: {
      id,
      userId,
      createdAt: now,
      lastVerifiedAt: now,
      expiresAt: new Date(now.getTime() + policy.inactivityMs),
      userAgent,
      ip,
    },
  };
}

/**
 * Returns the session and its user when the token is genuine and not expired.
 * Expired sessions are deleted; use within the inactivity window renews them.
 */
export async function validateSessionToken(
  db: Db,
  policy: SessionPolicy,
  token: string,
  now = new Date(),
): Promise<ValidatedSession | null> {
  const parts = token.split(".");
  if (parts.length !== 2) return null;
  const [id, secret] = parts as [string, string];
  if (id.length !== TOKEN_PART_LENGTH || secret.length !== TOKEN_PART_LENGTH) return null;

  const found = await findSessionWithUser(db, id as SessionId);
  if (!found) return null;
  if (!constantTimeEqual(hashSecret(secret), new Uint8Array(found.session.secret_hash))) {
    return null;
  }
  const idleMs = now.getTime() - found.session.last_verified_at.getTime();
  if (idleMs >= policy.inactivityMs) {
    await deleteSession(db, id as SessionId);
    return null;
  }
  let row = found.session;
  let isRenewed = false;
  if (idleMs >= ACTIVITY_CHECK_INTERVAL_MS) {
    await touchSession(db, id as SessionId, now);
    row = { ...row, last_verified_at: now };
    isRenewed = true;
  }
  return { session: toSession(row, policy), user: toUser(found.user), isRenewed };
}

export async function invalidateSession(db: Db, id: SessionId): Promise<void> {
  await deleteSession(db, id);
}

/** Signs the user out on every device; returns how many sessions ended. */
export function invalidateAllSessions(db: Db, userId: UserId): Promise<number> {
  return deleteSessionsOfUser(db, userId);
}

export async function listSessions(
  db: Db,
  policy: SessionPolicy,
  userId: UserId,
  page: { limit: number; after?: { createdAt: Date; id: string } },
  now = new Date(),
): Promise<Session[]> {
  const activeSince = new Date(now.getTime() - policy.inactivityMs);
  const rows = await listSessionsOfUser(db, userId, { ...page, activeSince });
  return rows.map((row) => toSession(row, policy));
}

/** Whether a session still exists and has not expired: for long-lived streams to recheck. */
export async function isSessionActive(
  db: Db,
  policy: SessionPolicy,
  id: SessionId,
  now = new Date(),
): Promise<boolean> {
  const lastVerifiedAt = await findSessionLastVerifiedAt(db, id);
  return lastVerifiedAt !== null && now.getTime() - lastVerifiedAt.getTime() < policy.inactivityMs;
}
