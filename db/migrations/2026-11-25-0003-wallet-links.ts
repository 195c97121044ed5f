import { sql, type Kysely } from "kysely";

// Frozen: never edit a migration after it has landed; add a new one.
// Sign-In with Ethereum (EIP-4361): single-use nonces, and the history of which address
// each user linked. Addresses are stored EIP-55 checksummed and compared in lower case.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("siwe_nonces")
    .addColumn("nonce", "text", (col) => col.primaryKey())
    .addColumn("purpose", "text", (col) => col.notNull())
    .addColumn("user_id", "uuid", (col) => col.references("users.id").onDelete("cascade"))
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (col) => col.notNull())
    .addColumn("used_at", "timestamptz")
    .addCheckConstraint("siwe_nonces_purpose", sql`purpose in ('link', 'sign-in')`)
    // A link nonce belongs to the signed-in user who asked for it; a sign-in nonce to nobody yet.
    .addCheckConstraint(
      "siwe_nonces_link_has_user",
      sql`(purpose = 'link') = (user_id is not null)`,
    )
    // EIP-4361: at least 8 alphanumeric characters.
    .addCheckConstraint("siwe_nonces_nonce_format", sql`nonce ~ '^[A-Za-z0-9]{8,}$'`)
    .execute();
  await db.schema
    .createIndex("siwe_nonces_expires_at_idx")
    .on("siwe_nonces")
    .column("expires_at")
    .execute();
  await db.schema
    .createIndex("siwe_nonces_user_id_idx")
    .on("siwe_nonces")
    .column("user_id")
    .where("user_id", "is not", null)
    .execute();

  await db.schema
    .createTable("wallet_links")
    .addColumn("id", "uuid", (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("user_id", "uuid", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("address", "text", (col) => col.notNull())
    .addColumn("chain_id", "bigint", (col) => col.notNull())
    // The signed EIP-4361 message and its signature: the user's own proof of the link.
    .addColumn("siwe_message", "text", (col) => col.notNull())
    .addColumn("signature", "text", (col) => col.notNull())
    .addColumn("linked_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("unlinked_at", "timestamptz")
    .addCheckConstraint("wallet_links_address_format", sql`address ~ '^0x[0-9a-fA-F]{40}$'`)
    .addCheckConstraint("wallet_links_chain_id_positive", sql`chain_id > 0`)
    .addCheckConstraint(
      "wallet_links_unlinked_after_linked",
      sql`unlinked_at is null or unlinked_at >= linked_at`,
    )
    .execute();
  // One active link per address and one per user; unlinked rows stay as history.
  await sql`create unique index wallet_links_active_address_key
    on wallet_links (lower(address)) where unlinked_at is null`.execute(db);
  await sql`create unique index wallet_links_active_user_key
    on wallet_links (user_id) where unlinked_at is null`.execute(db);
  await db.schema
    .createIndex("wallet_links_user_history_idx")
    .on("wallet_links")
    .columns(["user_id", "linked_at desc"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("wallet_links").execute();
  await db.schema.dropTable("siwe_nonces").execute();
}
