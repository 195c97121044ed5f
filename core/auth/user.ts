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

/** The account columns a User is made from (profile columns belong to core/social). */
export type UserAccountRow = Pick<
  UserRow,
  | "id"
  | "handle"
  | "email"
  | "display_name"
  | "password_hash"
  | "is_admin"
  | "created_at"
  | "updated_at"
>;

export function toUser(row: UserAccountRow): User {
  return {
    id: row.id as UserId,
    handle: row.handle,
    email: row.email,
    displayName: row.display_name,
    isAdmin: row.is_admin,
    createdAt: row.created_at,
  };
}
