import { sql, type Kysely } from "kysely";

// Frozen: never edit a migration after it has landed; add a new one.
// Money columns are numeric(78,0): integers of up to 78 digits (a uint256), never floats.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("users")
    .addColumn("is_admin", "boolean", (col) => col.notNull().defaultTo(false))
    .execute();

  await db.schema
    .createTable("ledger_accounts")
    .addColumn("id", "bigserial", (col) => col.primaryKey())
    .addColumn("code", "text", (col) => col.notNull().unique())
    .addColumn("kind", "text", (col) => col.notNull())
    .addColumn("user_id", "uuid", (col) => col.references("users.id"))
    .addColumn("budget_id", "text")
    .addColumn("must_not_overdraw", "boolean", (col) => col.notNull())
    .addColumn("debits_pending", sql`numeric(78,0)`, (col) => col.notNull().defaultTo(0))
    .addColumn("debits_posted", sql`numeric(78,0)`, (col) => col.notNull().defaultTo(0))
    .addColumn("credits_pending", sql`numeric(78,0)`, (col) => col.notNull().defaultTo(0))
    .addColumn("credits_posted", sql`numeric(78,0)`, (col) => col.notNull().defaultTo(0))
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      "ledger_accounts_kind",
      sql`kind in ('user_wallet', 'user_invested', 'user_settled', 'budget', 'mint', 'fees')`,
    )
    .addCheckConstraint(
      "ledger_accounts_non_negative_columns",
      sql`debits_pending >= 0 and debits_posted >= 0 and credits_pending >= 0 and credits_posted >= 0`,
    )
    // TigerBeetle's "debits must not exceed credits": the last line of defence against overdraft.
    .addCheckConstraint(
      "ledger_accounts_no_overdraft",
      sql`not must_not_overdraw or debits_posted + debits_pending <= credits_posted`,
    )
    .execute();
  await db.schema
    .createIndex("ledger_accounts_user_idx")
    .on("ledger_accounts")
    .column("user_id")
    .where("user_id", "is not", null)
    .execute();

  await db.schema
    .createTable("ledger_transfers")
    .addColumn("id", "bigserial", (col) => col.primaryKey())
    .addColumn("idempotency_key", "text", (col) => col.notNull().unique())
    .addColumn("debit_account_id", "bigint", (col) =>
      col.notNull().references("ledger_accounts.id"),
    )
    .addColumn("credit_account_id", "bigint", (col) =>
      col.notNull().references("ledger_accounts.id"),
    )
    .addColumn("amount", sql`numeric(78,0)`, (col) => col.notNull())
    .addColumn("kind", "text", (col) => col.notNull())
    .addColumn("phase", "text", (col) => col.notNull())
    .addColumn("pending_id", "bigint", (col) => col.references("ledger_transfers.id"))
    .addColumn("memo", "text")
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("ledger_transfers_positive_amount", sql`amount > 0`)
    .addCheckConstraint(
      "ledger_transfers_distinct_accounts",
      sql`debit_account_id <> credit_account_id`,
    )
    .addCheckConstraint(
      "ledger_transfers_phase",
      sql`phase in ('single', 'pending', 'post', 'void')`,
    )
    .addCheckConstraint(
      "ledger_transfers_pending_reference",
      sql`(phase in ('post', 'void')) = (pending_id is not null)`,
    )
    .execute();
  // A pending transfer is posted or voided exactly once.
  await db.schema
    .createIndex("ledger_transfers_resolves_once")
    .on("ledger_transfers")
    .column("pending_id")
    .unique()
    .where("pending_id", "is not", null)
    .execute();
  await db.schema
    .createIndex("ledger_transfers_debit_idx")
    .on("ledger_transfers")
    .columns(["debit_account_id", "id"])
    .execute();
  await db.schema
    .createIndex("ledger_transfers_credit_idx")
    .on("ledger_transfers")
    .columns(["credit_account_id", "id"])
    .execute();

  await db.schema
    .createTable("reward_budgets")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("name", "text", (col) => col.notNull())
    .addColumn("kind", "text", (col) => col.notNull())
    .addColumn("daily_amount", sql`numeric(78,0)`)
    .addColumn("account_id", "bigint", (col) => col.notNull().references("ledger_accounts.id"))
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("reward_budgets_kind", sql`kind in ('daily_emission', 'escrow')`)
    .addCheckConstraint(
      "reward_budgets_daily_amount",
      sql`(kind = 'daily_emission') = (daily_amount is not null and daily_amount > 0)`,
    )
    .execute();

  await db.schema
    .createTable("reward_rules")
    .addColumn("action_kind", "text", (col) => col.primaryKey())
    .addColumn("label", "text", (col) => col.notNull())
    .addColumn("amount", sql`numeric(78,0)`, (col) => col.notNull())
    .addColumn("daily_cap", "integer")
    .addColumn("per_target_daily_cap", "integer")
    .addColumn("hold_seconds", "integer", (col) => col.notNull())
    .addColumn("budget_id", "text", (col) => col.notNull().references("reward_budgets.id"))
    .addColumn("is_enabled", "boolean", (col) => col.notNull().defaultTo(true))
    .addColumn("updated_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("updated_by", "uuid", (col) => col.references("users.id"))
    .addCheckConstraint("reward_rules_amount", sql`amount > 0`)
    .addCheckConstraint(
      "reward_rules_caps",
      sql`coalesce(daily_cap, 1) > 0 and coalesce(per_target_daily_cap, 1) > 0`,
    )
    .addCheckConstraint("reward_rules_hold", sql`hold_seconds >= 0`)
    .execute();

  await db.schema
    .createTable("rewards")
    .addColumn("id", "bigserial", (col) => col.primaryKey())
    .addColumn("idempotency_key", "text", (col) => col.notNull().unique())
    // No foreign keys on this hot table: each would lock (and so write) the referenced
    // row for every reward. The engine checks the user and budget, inserts the transfer
    // in the same transaction, and ledger:verify checks every reward against the ledger.
    .addColumn("user_id", "uuid", (col) => col.notNull())
    .addColumn("action_kind", "text", (col) => col.notNull())
    .addColumn("target_key", "text")
    .addColumn("memo", "text", (col) => col.notNull())
    .addColumn("amount", sql`numeric(78,0)`, (col) => col.notNull())
    .addColumn("status", "text", (col) => col.notNull())
    .addColumn("reason_code", "text")
    .addColumn("reason", "text")
    .addColumn("budget_id", "text")
    .addColumn("transfer_id", "bigint")
    .addColumn("hold_until", "timestamptz")
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("settled_at", "timestamptz")
    .addCheckConstraint(
      "rewards_status",
      sql`status in ('held', 'available', 'refused', 'reversed')`,
    )
    .addCheckConstraint(
      "rewards_transfer_matches_status",
      sql`(status = 'refused') = (transfer_id is null)`,
    )
    .execute();
  await db.schema
    .createIndex("rewards_user_idx")
    .on("rewards")
    .columns(["user_id", "id"])
    .execute();
  await db.schema
    .createIndex("rewards_release_idx")
    .on("rewards")
    .column("hold_until")
    .where(sql.ref("status"), "=", "held")
    .execute();

  await db.schema
    .createTable("reward_counters")
    .addColumn("key", "text", (col) => col.primaryKey())
    .addColumn("count", "integer", (col) => col.notNull())
    .addColumn("day", "date", (col) => col.notNull())
    .execute();

  await db.schema
    .createTable("reward_appeals")
    .addColumn("reward_id", "bigint", (col) => col.primaryKey().references("rewards.id"))
    .addColumn("user_id", "uuid", (col) => col.notNull().references("users.id"))
    .addColumn("message", "text", (col) => col.notNull())
    .addColumn("status", "text", (col) => col.notNull())
    .addColumn("decision_reason", "text")
    .addColumn("decided_by", "uuid", (col) => col.references("users.id"))
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("decided_at", "timestamptz")
    .addCheckConstraint("reward_appeals_status", sql`status in ('open', 'approved', 'denied')`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "reward_appeals",
    "reward_counters",
    "rewards",
    "reward_rules",
    "reward_budgets",
    "ledger_transfers",
    "ledger_accounts",
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable("users").dropColumn("is_admin").execute();
}
