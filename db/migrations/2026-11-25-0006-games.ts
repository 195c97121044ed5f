import { sql, type Kysely } from "kysely";

// Frozen: never edit a migration after it has landed; add a new one.
//
// Games, their runs (issued by the server, verified by replay) and achievements. A game
// has an owner (null for Tributary's own) and the reward kind its achievements are paid
// under, whose rule names the budget: an external studio's game pays from its own budget.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table games (
      id text primary key check (id ~ '^[a-z0-9][a-z0-9-]{1,40}$'),
      title text not null,
      description text not null default '',
      owner_id uuid references users(id),
      reward_kind text not null references reward_rules(action_kind),
      rules_version integer,
      created_at timestamptz not null default now(),
      check ((owner_id is null) = (rules_version is not null))
    )`.execute(db);

  await sql`
    create table game_runs (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id) on delete cascade,
      game_id text not null references games(id),
      seed text not null,
      rules_version integer not null,
      issued_at timestamptz not null default now(),
      expires_at timestamptz not null,
      status text not null default 'issued' check (status in ('issued', 'verified', 'rejected')),
      submitted_at timestamptz,
      score integer check (score >= 0),
      perfect boolean,
      ticks integer,
      input_count integer,
      rejection_code text,
      rejection_reason text,
      check ((status = 'verified') = (score is not null))
    )`.execute(db);
  await sql`create index game_runs_user_idx on game_runs (user_id, game_id, submitted_at desc)`.execute(
    db,
  );
  await sql`
    create index game_runs_board_idx on game_runs (game_id, submitted_at)
      include (user_id, score) where status = 'verified'`.execute(db);

  await sql`
    create table achievements (
      id text primary key,
      game_id text not null references games(id),
      title text not null,
      description text not null,
      kind text not null check (kind in ('first_finish', 'score_at_least', 'perfect_run', 'days_in_row', 'reported')),
      threshold integer,
      share_thousandths integer not null default 1000 check (share_thousandths between 1 and 1000),
      sort_order integer not null default 0
    )`.execute(db);
  await sql`create index achievements_game_idx on achievements (game_id, sort_order)`.execute(db);

  await sql`
    create table user_achievements (
      user_id uuid not null references users(id) on delete cascade,
      achievement_id text not null references achievements(id),
      earned_at timestamptz not null default now(),
      run_id uuid references game_runs(id),
      reward_id bigint,
      primary key (user_id, achievement_id)
    )`.execute(db);
  await sql`create index user_achievements_recent_idx on user_achievements (user_id, earned_at desc)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table user_achievements`.execute(db);
  await sql`drop table achievements`.execute(db);
  await sql`drop table game_runs`.execute(db);
  await sql`drop table games`.execute(db);
}
