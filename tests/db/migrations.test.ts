import { NO_MIGRATIONS, sql } from "kysely";
import { describe, expect, it } from "vitest";
import type { Db } from "#db/create-db.ts";
import { createMigrator, migrateToLatest } from "#db/migrate.ts";
import { openTestDb, testBackends } from "#tests/support/test-db.ts";

async function publicTables(db: Db): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_name not like 'kysely_%'
    order by table_name`.execute(db);
  return rows.map((row) => row.table_name);
}

describe.each(testBackends())("migrations on %s", (backend) => {
  it("apply from scratch, are a no-op when repeated, and roll all the way down and up again", async () => {
    const { db, close } = await openTestDb(backend);
    try {
      expect((await migrateToLatest(db)).applied).toEqual([]);
      expect(await publicTables(db)).toEqual([
        "achievements",
        "chain_state",
        "comment_likes",
        "comments",
        "email_tokens",
        "follows",
        "game_runs",
        "games",
        "gamification_fold",
        "gamification_fold_changes",
        "images",
        "ledger_accounts",
        "ledger_transfers",
        "mutes",
        "notifications",
        "post_hashtags",
        "post_likes",
        "post_seen",
        "posts",
        "quest_completions",
        "rate_limit_buckets",
        "reports",
        "reward_appeals",
        "reward_budgets",
        "reward_counters",
        "reward_review_decisions",
        "reward_risk_signals",
        "reward_rules",
        "rewards",
        "scheduled_steps",
        "seasons",
        "seed_runs",
        "sessions",
        "settlement_allocations",
        "settlement_claim_relays",
        "settlement_claims",
        "settlement_epochs",
        "settlement_payouts",
        "settlement_tree_chunks",
        "siwe_nonces",
        "streak_repairs",
        "user_achievements",
        "user_activity",
        "user_badges",
        "user_progress",
        "users",
        "wallet_links",
      ]);

      const { error, results } = await createMigrator(db).migrateTo(NO_MIGRATIONS);
      expect(error).toBeUndefined();
      expect(results?.length).toBeGreaterThan(0);
      expect(await publicTables(db)).toEqual([]);

      expect((await migrateToLatest(db)).applied.length).toBe(results?.length);
      expect(await publicTables(db)).toContain("users");
    } finally {
      await close();
    }
  });
});
