import type { Db } from "#db/create-db.ts";
import type { SessionRow } from "#db/schema.ts";
import type { UserAccountRow } from "./user.ts";
import type { SessionId, UserId } from "./ids.ts";

export async function insertSession(
  db: Db,
  session: {
    id: SessionId;
    userId: UserId;
    secretHash: Uint8Array;
    now: Date;
    userAgent: string | null;
    ip: string | null;
  },
): Promise<void> {
  await db
    .insertInto("sessions")
    .values({
      id: session.id,
      user_id: session.userId,
      secret_hash: session.secretHash,
      created_at: session.now,
      last_verified_at: session.now,
      user_agent: session.userAgent,
      ip: session.ip,
    })
    .execute();
}

export async function findSessionWithUser(
  db: Db,
  id: SessionId,
): Promise<{ session: SessionRow; user: UserAccountRow } | undefined> {
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select([
      "sessions.id as session_id",
      "sessions.user_id",
      "sessions.secret_hash",
      "sessions.created_at as session_created_at",
      "sessions.last_verified_at",
      "sessions.user_agent",
      "sessions.ip",
      "users.id",
      "users.handle",
      "users.email",
      "users.display_name",
      "users.password_hash",
      "users.is_admin",
      "users.email_verified_at",
      "users.created_at",
      "users.updated_at",
    ])
    .where("sessions.id", "=", id)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    session: {
      id: row.session_id,
      user_id: row.user_id,
      secret_hash: row.secret_hash,
      created_at: row.session_created_at,
      last_verified_at: row.last_verified_at,
      user_agent: row.user_agent,
      ip: row.ip,
    },
    user: {
      id: row.id,
      handle: row.handle,
      email: row.email,
      display_name: row.display_name,
      password_hash: row.password_hash,
      is_admin: row.is_admin,
      email_verified_at: row.email_verified_at,
      created_at: row.created_at,
      updated_at: row.updated_at,
    },
  };
}

export async function touchSession(db: Db, id: SessionId, now: Date): Promise<void> {
  await db.updateTable("sessions").set({ last_verified_at: now }).where("id", "=", id).execute();
}

export async function deleteSession(db: Db, id: SessionId): Promise<void> {
  await db.deleteFrom("sessions").where("id", "=", id).execute();
}

export async function deleteSessionsOfUser(db: Db, userId: UserId): Promise<number> {
  const result = await db.deleteFrom("sessions").where("user_id", "=", userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Newest first, keyset-paginated on (created_at, id) so pages never skip or repeat. */
export function listSessionsOfUser(
  db: Db,
  userId: UserId,
  page: { limit: number; activeSince: Date; after?: { createdAt: Date; id: string } },
): Promise<SessionRow[]> {
  let query = db
    .selectFrom("sessions")
    .selectAll()
    .where("user_id", "=", userId)
    .where("last_verified_at", ">", page.activeSince)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(page.limit);
  const after = page.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb("created_at", "<", after.createdAt),
        eb.and([eb("created_at", "=", after.createdAt), eb("id", "<", after.id)]),
      ]),
    );
  }
  return query.execute();
}

/** When the session last proved itself; null when it no longer exists. */
export async function findSessionLastVerifiedAt(db: Db, id: SessionId): Promise<Date | null> {
  const row = await db
    .selectFrom("sessions")
    .select("last_verified_at")
    .where("id", "=", id)
    .executeTakeFirst();
  return row?.last_verified_at ?? null;
}
