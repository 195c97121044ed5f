import { sql, type Kysely } from "kysely";

// Frozen: never edit a migration after it has landed; add a new one.
//
// Quests follow their actions (issue #15): a completion whose reward was reversed because
// the actions behind it were undone is kept, marked `reversed_at`, so the quest reads as
// not complete and the history of why stays. Completing it again that week is a new
// attempt, paid under a cause of its own (`attempt`), never a replay of the reversed one.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table quest_completions
      add column attempt int not null default 1 check (attempt >= 1),
      add column reversed_at timestamptz`.execute(db);
  // The review step looks for completions whose reward is still held.
  await sql`
    create index quest_completions_live_reward_idx on quest_completions (reward_id)
      where reversed_at is null and reward_id is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists quest_completions_live_reward_idx`.execute(db);
  await sql`
    alter table quest_completions drop column reversed_at, drop column attempt`.execute(db);
}
