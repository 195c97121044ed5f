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
