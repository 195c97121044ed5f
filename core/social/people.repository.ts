import type { UserId } from "#core/auth/ids.ts";
import type { Db } from "#db/create-db.ts";

export type Person = { id: UserId; handle: string; displayName: string };

/** Visible people by id (hidden accounts are left out). */
export async function findPeople(db: Db, ids: readonly UserId[]): Promise<Map<UserId, Person>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom("users")
    .select(["id", "handle", "display_name"])
    .where("id", "in", [...new Set(ids)])
    .where("hidden_at", "is", null)
    .execute();
  return new Map(
    rows.map((r) => [
      r.id as UserId,
      { id: r.id as UserId, handle: r.handle, displayName: r.display_name },
    ]),
  );
}

/** Visible people by handle, for mentions. */
export async function findPeopleByHandles(db: Db, handles: readonly string[]): Promise<Person[]> {
  if (handles.length === 0) return [];
  const rows = await db
    .selectFrom("users")
    .select(["id", "handle", "display_name"])
    .where("handle", "in", [...new Set(handles)])
    .where("hidden_at", "is", null)
    .execute();
  return rows.map((r) => ({ id: r.id as UserId, handle: r.handle, displayName: r.display_name }));
}

/** Whether an account exists, hidden or not. */
export async function accountExists(db: Db, id: UserId): Promise<boolean> {
  const row = await db.selectFrom("users").select("id").where("id", "=", id).executeTakeFirst();
  return row !== undefined;
}
