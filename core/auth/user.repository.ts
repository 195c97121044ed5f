import type { Db } from "#db/create-db.ts";
import type { NewUserRow, UserRow } from "#db/schema.ts";
import type { UserId } from "./ids.ts";

export function findUserById(db: Db, id: UserId): Promise<UserRow | undefined> {
  return db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

export function findUsersByIds(db: Db, ids: readonly UserId[]): Promise<UserRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom("users").selectAll().where("id", "in", ids).execute();
}

export function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();
}

export function findUserByHandle(db: Db, handle: string): Promise<UserRow | undefined> {
  return db.selectFrom("users").selectAll().where("handle", "=", handle).executeTakeFirst();
}

export async function findTakenIdentifiers(
  db: Db,
  handle: string,
  email: string,
): Promise<{ isHandleTaken: boolean; isEmailTaken: boolean }> {
  const rows = await db
    .selectFrom("users")
    .select(["handle", "email"])
    .where((eb) => eb.or([eb("handle", "=", handle), eb("email", "=", email)]))
    .execute();
  return {
    isHandleTaken: rows.some((row) => row.handle === handle),
    isEmailTaken: rows.some((row) => row.email === email),
  };
}

export function insertUser(db: Db, user: NewUserRow): Promise<UserRow> {
  return db.insertInto("users").values(user).returningAll().executeTakeFirstOrThrow();
}

export function updateUserDisplayName(
  db: Db,
  id: UserId,
  displayName: string,
): Promise<UserRow | undefined> {
  return db
    .updateTable("users")
    .set({ display_name: displayName, updated_at: new Date() })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
}

/** Marks the address proven, unless it already was or the account's address has changed since. */
export async function markEmailVerified(
  db: Db,
  id: UserId,
  email: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable("users")
    .set({ email_verified_at: now, updated_at: now })
    .where("id", "=", id)
    .where("email", "=", email)
    .where("email_verified_at", "is", null)
    .execute();
}

export async function updatePasswordHash(
  db: Db,
  id: UserId,
  passwordHash: string,
  now: Date,
): Promise<UserRow | undefined> {
  return db
    .updateTable("users")
    .set({ password_hash: passwordHash, updated_at: now })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
}
