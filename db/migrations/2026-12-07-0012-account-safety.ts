import { sql, type Kysely } from "kysely";

// Frozen: never edit a migration after it has landed; add a new one.
//
// Links sent by mail to verify an address or reset a password. Like session secrets,
// only a SHA-256 hash of the token is kept, so a copy of the database opens no account.
// A token is spent by setting `used_at` in the same statement that checks it, so two
// clicks on one link cannot both succeed. Sign-in throttling and sign-up limits count in
// the existing rate_limit_buckets table and need no table of their own.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("email_tokens")
    .addColumn("id", "uuid", (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("purpose", "text", (col) =>
      col.notNull().check(sql`purpose in ('verify-email', 'reset-password')`),
    )
    .addColumn("user_id", "uuid", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("email", "text", (col) => col.notNull())
    .addColumn("token_hash", "bytea", (col) => col.notNull().unique())
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (col) => col.notNull())
    .addColumn("used_at", "timestamptz")
    .execute();
  await db.schema
    .createIndex("email_tokens_user_purpose")
    .on("email_tokens")
    .columns(["user_id", "purpose", "created_at"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("email_tokens").execute();
}
