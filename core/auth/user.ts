import type { UserRow } from "#db/schema.ts";
import type { UserId } from "./ids.ts";

/** A user as the rest of the system sees one: never carries the password hash. */
export type User = {
  id: UserId;
  handle: string;
  email: string;
  displayName: string;
  isAdmin: boolean;
  createdAt: Date;
};

export function toUser(row: UserRow): User {
  return {
    id: row.id as UserId,
    handle: row.handle,
    email: row.email,
    displayName: row.display_name,
    isAdmin: row.is_admin,
    createdAt: row.created_at,
  };
}
