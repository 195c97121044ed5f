import { sql, type Kysely } from "kysely";

// Frozen: never edit a migration after it has landed; add a new one.
//
// Gamification: XP, levels, trust levels, streaks, weekly quests, seasons and badges,
// all derived from the rewards table (the one record of rewarded actions).
//
// The rewards table is the engine's hot path, so nothing here adds work to inserting a
// reward. Instead a fold reads new reward rows by id (a little behind the newest, so
// transactions still in flight are not skipped) into per-user, per-day, per-kind totals.
// A reward whose status later changes between counting (held, available) and not
// (refused, reversed) after it was folded is noted by a trigger on status updates only
// (reversals and appeals: rare), and the next fold applies the difference.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table gamification_fold (
      id integer primary key check (id = 1),
      -- Every reward with an id up to here is in user_activity and user_progress.
      through_reward_id bigint not null default 0,
      -- The newest reward id seen at candidate_seen_at: folded once it is old enough.
      candidate_reward_id bigint not null default 0,
      candidate_seen_at timestamptz not null default now(),
      -- The XP table the totals were computed with; another version refolds everything.
      xp_table_version integer not null default 0,
      folded_at timestamptz
    )`.execute(db);
  await sql`insert into gamification_fold (id) values (1)`.execute(db);

  await sql`
    create table gamification_fold_changes (
      id bigserial primary key,
      reward_id bigint not null,
      user_id uuid not null,
      action_kind text not null,
      day date not null,
      amount numeric(78,0) not null,
      direction smallint not null check (direction in (-1, 1))
    )`.execute(db);
  await sql`create index gamification_fold_changes_user_idx on gamification_fold_changes (user_id)`.execute(
    db,
  );

  // No foreign keys on the folded tables: they follow the rewards table, which has none.
  await sql`
    create table user_activity (
      user_id uuid not null,
      day date not null,
      action_kind text not null,
      actions integer not null,
      xp bigint not null,
      earned numeric(78,0) not null,
      primary key (user_id, day, action_kind)
    )`.execute(db);
  await sql`create index user_activity_day_idx on user_activity (day, user_id) include (xp, earned)`.execute(
    db,
  );

  await sql`
    create table user_progress (
      user_id uuid primary key,
      xp bigint not null default 0,
      -- Rewarded actions other than this layer's own bonuses (trust counts them).
      actions bigint not null default 0,
      trust_level smallint not null default 0 check (trust_level between 0 and 3),
      trust_evaluated_at timestamptz,
      -- The last streak milestone paid, as "<first day of the run>:<days>".
      streak_bonus_paid text,
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table seasons (
      id text primary key check (id ~ '^[a-z0-9][a-z0-9-]{1,40}$'),
      name text not null,
      starts_at timestamptz not null unique,
      ends_at timestamptz not null,
      check (starts_at < ends_at)
    )`.execute(db);

  await sql`
    create table streak_repairs (
      user_id uuid not null references users(id) on delete cascade,
      -- One repair per calendar month (UTC), "YYYY-MM".
      month text not null,
      repaired_day date not null,
      price numeric(78,0) not null check (price >= 0),
      transfer_id bigint references ledger_transfers(id),
      created_at timestamptz not null default now(),
      primary key (user_id, month)
    )`.execute(db);

  await sql`
    create table quest_completions (
      user_id uuid not null references users(id) on delete cascade,
      week_start date not null,
      quest_id text not null,
      completed_at timestamptz not null default now(),
      reward_id bigint,
      primary key (user_id, week_start, quest_id)
    )`.execute(db);

  await sql`
    create table user_badges (
      user_id uuid not null references users(id) on delete cascade,
      badge_id text not null,
      earned_at timestamptz not null default now(),
      primary key (user_id, badge_id)
    )`.execute(db);

  // Trust levels look for content hidden by moderation recently.
  await sql`create index reports_hidden_decided_idx on reports (decided_at) where status = 'hidden'`.execute(
    db,
  );

  await sql`
    create function gamification_note_status_change() returns trigger
    language plpgsql as $$
    declare
      folded bigint;
    begin
      -- Waits for a fold in progress, then sees where it got to: a reward the fold
      -- already counted is corrected by the next fold; a newer one is read as it is now.
      select through_reward_id into folded from gamification_fold where id = 1 for share;
      if new.id <= folded then
        insert into gamification_fold_changes (reward_id, user_id, action_kind, day, amount, direction)
        values (new.id, new.user_id, new.action_kind, (new.created_at at time zone 'UTC')::date,
                new.amount, case when new.status in ('held', 'available') then 1 else -1 end);
      end if;
      return null;
    end
    $$`.execute(db);
  await sql`
    create trigger rewards_gamification_status
    after update of status on rewards
    for each row
    when ((old.status in ('held', 'available')) is distinct from (new.status in ('held', 'available')))
    execute function gamification_note_status_change()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger rewards_gamification_status on rewards`.execute(db);
  await sql`drop function gamification_note_status_change()`.execute(db);
  await sql`drop index reports_hidden_decided_idx`.execute(db);
  for (const table of [
    "user_badges",
    "quest_completions",
    "streak_repairs",
    "seasons",
    "user_progress",
    "user_activity",
    "gamification_fold_changes",
    "gamification_fold",
  ]) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
}
