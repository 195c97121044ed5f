import { sql, type Kysely } from "kysely";

// Frozen: never edit a migration after it has landed; add a new one.
//
// A person's account becomes trusted in two steps: they prove they own their email
// (`email_verified_at`), then they activate (`activated_at`: a verified email plus real
// activity that established accounts engaged with). Bonuses that welcome a person are
// paid at activation, not at sign-up. Accounts made before this migration were already
// paid their welcome, so they count as both.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("users")
    .addColumn("email_verified_at", "timestamptz")
    .addColumn("activated_at", "timestamptz")
    .execute();
  await sql`update users set email_verified_at = created_at, activated_at = created_at`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("users")
    .dropColumn("email_verified_at")
    .dropColumn("activated_at")
    .execute();
}
