import type { Db } from "#db/create-db.ts";
import { parseUserId, type UserId } from "./ids.ts";
import { findUserByHandle, findUsersByIds } from "./user.repository.ts";
import { toUser, type User } from "./user.ts";

/** Users in the order of `ids`, with null where an id is unknown or malformed. */
export async function getUsersByIds(db: Db, ids: readonly string[]): Promise<(User | null)[]> {
  const valid = ids.map(parseUserId).filter((id): id is UserId => id !== null);
  const rows = await findUsersByIds(db, [...new Set(valid)]);
  const byId = new Map(rows.map((row) => [row.id, toUser(row)]));
  return ids.map((id) => byId.get(parseUserId(id) ?? "") ?? null);
}

export async function getUserByHandle(db: Db, handle: string): Promise<User | null> {
  const normalized = handle.trim().replace(/^@/, "").toLowerCase();
  if (!/^[a-z0-9_]{1,40}$/.test(normalized)) return null;
  const row = await findUserByHandle(db, normalized);
  return row ? toUser(row) : null;
}
