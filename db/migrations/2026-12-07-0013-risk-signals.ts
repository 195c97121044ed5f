import { sql, type Kysely } from "kysely";

// Frozen: never edit a migration after it has landed; add a new one.
//
// A reward is held for review only when a named risk signal fires (issue #15): each
// signal is recorded with the words the user reads, and cleared (not deleted) when a
// later look finds it no longer holds, so the history of why a reward waited stays. An
// admin's decision on a held reward is recorded once (who, when, why). Admin decisions
// are news to the user: notifications get the kind `reward_review`.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table reward_risk_signals (
      reward_id bigint not null,
      code text not null,
      message text not null,
      -- Whose standing the signal is about when it is not the earner's (a liker, a follower).
      engager_id uuid,
      raised_at timestamptz not null default now(),
      cleared_at timestamptz,
      primary key (reward_id, code)
    )`.execute(db);
  await sql`
    create index reward_risk_signals_open_idx on reward_risk_signals (reward_id)
      where cleared_at is null`.execute(db);
  await sql`
    create table reward_review_decisions (
      reward_id bigint primary key,
      decision text not null check (decision in ('approved', 'reversed')),
      reason text not null,
      decided_by uuid not null references users(id),
      decided_at timestamptz not null default now()
    )`.execute(db);
  // The queue: held rewards waiting on a signal (the release step skips them).
  await sql`
    create index rewards_review_idx on rewards (id)
      where status = 'held' and reason_code = 'risk_review'`.execute(db);
  await sql`alter table notifications drop constraint notifications_kind_check`.execute(db);
  await sql`
    alter table notifications add constraint notifications_kind_check
      check (kind in ('like', 'comment', 'reply', 'follow', 'mention', 'repost', 'reward_review'))`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from notifications where kind = 'reward_review'`.execute(db);
  await sql`alter table notifications drop constraint notifications_kind_check`.execute(db);
  await sql`
    alter table notifications add constraint notifications_kind_check
      check (kind in ('like', 'comment', 'reply', 'follow', 'mention', 'repost'))`.execute(db);
  await sql`drop index rewards_review_idx`.execute(db);
  await sql`drop table reward_review_decisions`.execute(db);
  await sql`drop table reward_risk_signals`.execute(db);
}
