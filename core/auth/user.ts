import type { UserRow } from "#db/schema.ts";
import type { UserId } from "./ids.ts";

/** A user as the rest of the system sees one: never carries the password hash. */
export type User = {
  id: UserId;
  handle: string;
  email: string;
  displayName: string;
  isAdmin: boolean;
  /**
   * When the person proved they own `email`; null until they follow the link we sent.
   * Absent on a User made from a public profile (like `email`, it is only the owner's).
   */
  emailVerifiedAt?: Date | null;
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
  | "email_verified_at"
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
    emailVerifiedAt: row.email_verified_at,
    createdAt: row.created_at,
  };
}
