import { hashPassword } from "#core/auth/password-hash.ts";
import type { Db } from "#db/create-db.ts";
import { insertDemoUserUnlessPresent } from "./demo.repository.ts";

/** Shared by every demo account; the README tells newcomers. */
export const DEMO_PASSWORD = "stream-of-pennies";

export const demoUsers = [
  { handle: "ada", displayName: "Ada Lovelace", email: "ada@demo.tributary.test", isAdmin: true },
  { handle: "grace", displayName: "Grace Hopper", email: "grace@demo.tributary.test" },
  { handle: "kofi", displayName: "Kofi Mensah", email: "kofi@demo.tributary.test" },
  { handle: "mei", displayName: "Mei Tanaka", email: "mei@demo.tributary.test" },
] as const;

export async function seedDemoUsers(db: Db): Promise<void> {
  for (const user of demoUsers) {
    await insertDemoUserUnlessPresent(db, {
      handle: user.handle,
      email: user.email,
      displayName: user.displayName,
      passwordHash: await hashPassword(DEMO_PASSWORD),
      isAdmin: "isAdmin" in user && user.isAdmin,
      // Long-standing members, so their rewards skip the new-account review.
      createdAt: new Date(Date.now() - 60 * 24 * 60 * 60 * 1000),
    });
  }
}
