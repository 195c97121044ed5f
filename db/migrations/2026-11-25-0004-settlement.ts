import { sql, type Kysely } from "kysely";

// Frozen: never edit a migration after it has landed; add a new one.
// Addresses are stored EIP-55 checksummed; money is numeric(78,0).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("settlement_epochs")
    .addColumn("epoch", "integer", (col) => col.primaryKey().check(sql`epoch > 0`))
    .addColumn("status", "text", (col) =>
      col.notNull().check(sql`status in ('prepared', 'submitted', 'confirmed', 'final')`),
    )
    .addColumn("chain_id", "integer", (col) => col.notNull())
    .addColumn("distributor", "text", (col) => col.notNull())
    .addColumn("root", "text", (col) => col.notNull())
    .addColumn("cumulative_total", sql`numeric(78,0)`, (col) => col.notNull())
    .addColumn("minted", sql`numeric(78,0)`, (col) => col.notNull().check(sql`minted > 0`))
    .addColumn("leaf_count", "integer", (col) => col.notNull())
    .addColumn("payout_count", "integer", (col) => col.notNull())
    .addColumn("prepared_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("signed_tx", "text")
    .addColumn("tx_hash", "text")
    .addColumn("tx_nonce", "integer")
    .addColumn("submitted_at", "timestamptz")
    .addColumn("block_number", "bigint")
    .addColumn("confirmed_at", "timestamptz")
    .addColumn("finalized_at", "timestamptz")
    .addCheckConstraint(
      "settlement_epochs_submitted_has_tx",
      sql`status = 'prepared' or (tx_hash is not null and signed_tx is not null)`,
    )
    .execute();
  // At most one epoch in flight: the next is prepared only once the last is final.
  await sql`create unique index settlement_epochs_one_open on settlement_epochs ((true)) where status <> 'final'`.execute(
    db,
  );

  await db.schema
    .createTable("settlement_payouts")
    .addColumn("epoch", "integer", (col) => col.notNull().references("settlement_epochs.epoch"))
    .addColumn("user_id", "uuid", (col) => col.notNull().references("users.id"))
    .addColumn("address", "text", (col) => col.notNull())
    .addColumn("amount", sql`numeric(78,0)`, (col) => col.notNull().check(sql`amount > 0`))
    .addColumn("transfer_id", "bigint", (col) => col.notNull().references("ledger_transfers.id"))
    .addPrimaryKeyConstraint("settlement_payouts_pk", ["epoch", "user_id"])
    .execute();
  await db.schema
    .createIndex("settlement_payouts_user_idx")
    .on("settlement_payouts")
    .columns(["user_id", "epoch"])
    .execute();

  await db.schema
    .createTable("settlement_allocations")
    .addColumn("address", "text", (col) => col.primaryKey())
    .addColumn("user_id", "uuid", (col) => col.notNull().references("users.id"))
    .addColumn("cumulative", sql`numeric(78,0)`, (col) => col.notNull().check(sql`cumulative > 0`))
    .addColumn("updated_epoch", "integer", (col) => col.notNull())
    .execute();

  // An epoch's Merkle tree as flat 32-byte nodes in chunks (chunk >= 0), and its leaves
  // packed in 4,096 address buckets (chunk < 0, bucket -1 - chunk; 56-byte entries:
  // address | cumulative as a 32-byte word | tree index): a million leaves are a few
  // thousand rows, and a proof reads a handful.
  await db.schema
    .createTable("settlement_tree_chunks")
    .addColumn("epoch", "integer", (col) =>
      col.notNull().references("settlement_epochs.epoch").onDelete("cascade"),
    )
    .addColumn("chunk", "integer", (col) => col.notNull())
    .addColumn("nodes", "bytea", (col) => col.notNull())
    .addPrimaryKeyConstraint("settlement_tree_chunks_pk", ["epoch", "chunk"])
    .execute();

  await db.schema
    .createTable("settlement_claims")
    .addColumn("tx_hash", "text", (col) => col.notNull())
    .addColumn("log_index", "integer", (col) => col.notNull())
    .addColumn("block_number", "bigint", (col) => col.notNull())
    .addColumn("address", "text", (col) => col.notNull())
    .addColumn("paid", sql`numeric(78,0)`, (col) => col.notNull())
    .addColumn("cumulative", sql`numeric(78,0)`, (col) => col.notNull())
    .addColumn("indexed_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("settlement_claims_pk", ["tx_hash", "log_index"])
    .execute();
  await db.schema
    .createIndex("settlement_claims_address_idx")
    .on("settlement_claims")
    .columns(["address", "block_number"])
    .execute();

  await db.schema
    .createTable("settlement_claim_relays")
    .addColumn("id", "bigserial", (col) => col.primaryKey())
    .addColumn("address", "text", (col) => col.notNull())
    .addColumn("cumulative", sql`numeric(78,0)`, (col) => col.notNull())
    .addColumn("requested_by", "uuid", (col) => col.notNull().references("users.id"))
    .addColumn("tx_hash", "text")
    .addColumn("status", "text", (col) =>
      col.notNull().check(sql`status in ('sent', 'confirmed', 'failed')`),
    )
    .addColumn("error", "text")
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("settlement_claim_relays_once", ["address", "cumulative"])
    .execute();

  await db.schema
    .createTable("chain_state")
    .addColumn("name", "text", (col) => col.primaryKey())
    .addColumn("value", "text", (col) => col.notNull())
    .addColumn("updated_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "chain_state",
    "settlement_claim_relays",
    "settlement_claims",
    "settlement_tree_chunks",
    "settlement_allocations",
    "settlement_payouts",
    "settlement_epochs",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
