import type { UserId } from "#core/auth/ids.ts";
import type { Db } from "#db/create-db.ts";

/** Every demo account's id and handle (their addresses are all @demo.tributary.test). */
export async function listDemoUsers(db: Db): Promise<{ id: UserId; handle: string }[]> {
  const rows = await db
    .selectFrom("users")
    .select(["id", "handle"])
    .where("email", "like", "%@demo.tributary.test")
    .execute();
  return rows.map((row) => ({ id: row.id as UserId, handle: row.handle }));
}

/** Whether any demo account exists: their password is published in the README. */
export async function hasDemoAccounts(db: Db): Promise<boolean> {
  const row = await db
    .selectFrom("users")
    .select("id")
    .where("email", "like", "%@demo.tributary.test")
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Creates a demo account unless its handle or email is taken (then leaves it as it is). */
export async function insertDemoUserUnlessPresent(
  db: Db,
  user: {
    handle: string;
    email: string;
    displayName: string;
    bio?: string;
    passwordHash: string;
    isAdmin: boolean;
    createdAt: Date;
  },
): Promise<void> {
  await db
    .insertInto("users")
    .values({
      handle: user.handle,
      email: user.email,
      display_name: user.displayName,
      ...(user.bio === undefined ? {} : { bio: user.bio }),
      password_hash: user.passwordHash,
      is_admin: user.isAdmin,
      created_at: user.createdAt,
      // Demo people are members of long standing: verified and activated when they joined.
      email_verified_at: user.createdAt,
      activated_at: user.createdAt,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function hasSeedRun(db: Db, name: string): Promise<boolean> {
  const done = await db
    .selectFrom("seed_runs")
    .select("name")
    .where("name", "=", name)
    .executeTakeFirst();
  return done !== undefined;
}

/** Records a seed run; true only for the caller whose insert created the row. */
export async function insertSeedRun(db: Db, name: string): Promise<boolean> {
  const recorded = await db
    .insertInto("seed_runs")
    .values({ name })
    .onConflict((oc) => oc.column("name").doNothing())
    .returning("name")
    .executeTakeFirst();
  return recorded !== undefined;
}
