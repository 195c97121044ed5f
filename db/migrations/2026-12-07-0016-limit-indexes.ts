import { sql, type Kysely } from "kysely";

// Frozen: never edit a migration after it has landed; add a new one.
//
// Security hardening (issue #16): the scheduler prunes rate-limit buckets whose window
// started long ago, and a relayed claim counts the user's relays of the last day. Without
// these indexes each prune batch and each relay request reads the whole table, which an
// attacker grows by rotating addresses and emails.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create index rate_limit_buckets_window_started_idx
      on rate_limit_buckets (window_started_at)`.execute(db);
  await sql`
    create index settlement_claim_relays_requester_idx
      on settlement_claim_relays (requested_by, created_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists settlement_claim_relays_requester_idx`.execute(db);
  await sql`drop index if exists rate_limit_buckets_window_started_idx`.execute(db);
}
