import { sql, type Kysely } from "kysely";

// Frozen: never edit a migration after it has landed; add a new one.
//
// The earning pace (issue #17) sums a user's rewards of the last seven days on every home
// and wallet page. rewards_user_idx (user_id, id) would read every reward the user ever
// had; this one reads only the window.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index rewards_user_created_idx on rewards (user_id, created_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists rewards_user_created_idx`.execute(db);
}
