import { sql, type Kysely } from "kysely";

// Frozen: never edit a migration after it has landed; add a new one.
//
// The social graph. Ids are bigserial so feeds page by id (creation order) with
// keyset cursors. Counters live on the rows people read most (posts, users) and are
// kept in the same transaction as the row that changes them.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table images (
      id bigserial primary key,
      owner_id uuid not null references users(id) on delete cascade,
      content_type text not null check (content_type in ('image/webp', 'image/png', 'image/jpeg')),
      bytes bytea not null,
      width integer not null check (width > 0),
      height integer not null check (height > 0),
      created_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    alter table users
      add column bio text not null default '',
      add column avatar_image_id bigint references images(id) on delete set null,
      add column shows_earnings boolean not null default false,
      add column hidden_at timestamptz,
      add column follower_count integer not null default 0 check (follower_count >= 0),
      add column following_count integer not null default 0 check (following_count >= 0),
      add column post_count integer not null default 0 check (post_count >= 0)`.execute(db);

  // A repost is a post with repost_of_id and no body of its own.
  await sql`
    create table posts (
      id bigserial primary key,
      author_id uuid not null references users(id) on delete cascade,
      body text not null default '',
      repost_of_id bigint references posts(id),
      created_at timestamptz not null default now(),
      edited_at timestamptz,
      deleted_at timestamptz,
      hidden_at timestamptz,
      like_count integer not null default 0 check (like_count >= 0),
      comment_count integer not null default 0 check (comment_count >= 0),
      repost_count integer not null default 0 check (repost_count >= 0),
      hot_score double precision not null,
      check ((repost_of_id is null) = (char_length(body) > 0))
    )`.execute(db);
  await sql`create index posts_author_idx on posts (author_id, id desc)`.execute(db);
  // The Following feed reads each followee's newest live posts from this index alone
  // (no heap visits), then only its page's rows from the table.
  await sql`
    create index posts_following_idx on posts (author_id, id desc) include (repost_of_id)
      where deleted_at is null and hidden_at is null`.execute(db);
  await sql`
    create index posts_discover_idx on posts (hot_score desc, id desc)
      where deleted_at is null and hidden_at is null and repost_of_id is null`.execute(db);
  await sql`
    create unique index posts_one_live_repost_idx on posts (author_id, repost_of_id)
      where repost_of_id is not null and deleted_at is null`.execute(db);

  await sql`
    create table post_hashtags (
      tag text not null,
      post_id bigint not null references posts(id) on delete cascade,
      primary key (tag, post_id)
    )`.execute(db);
  await sql`create index post_hashtags_post_idx on post_hashtags (post_id)`.execute(db);

  await sql`
    create table comments (
      id bigserial primary key,
      post_id bigint not null references posts(id) on delete cascade,
      author_id uuid not null references users(id) on delete cascade,
      parent_id bigint references comments(id),
      body text not null check (char_length(body) > 0),
      created_at timestamptz not null default now(),
      deleted_at timestamptz,
      hidden_at timestamptz,
      like_count integer not null default 0 check (like_count >= 0)
    )`.execute(db);
  await sql`create index comments_post_idx on comments (post_id, id)`.execute(db);
  await sql`create index comments_author_idx on comments (author_id)`.execute(db);

  await sql`
    create table post_likes (
      post_id bigint not null references posts(id) on delete cascade,
      user_id uuid not null references users(id) on delete cascade,
      created_at timestamptz not null default now(),
      primary key (post_id, user_id)
    )`.execute(db);
  await sql`create index post_likes_user_idx on post_likes (user_id, created_at)`.execute(db);
  await sql`
    create table comment_likes (
      comment_id bigint not null references comments(id) on delete cascade,
      user_id uuid not null references users(id) on delete cascade,
      created_at timestamptz not null default now(),
      primary key (comment_id, user_id)
    )`.execute(db);
  await sql`create index comment_likes_user_idx on comment_likes (user_id, created_at)`.execute(db);

  await sql`
    create table follows (
      follower_id uuid not null references users(id) on delete cascade,
      followee_id uuid not null references users(id) on delete cascade,
      created_at timestamptz not null default now(),
      primary key (follower_id, followee_id),
      check (follower_id <> followee_id)
    )`.execute(db);
  await sql`create index follows_followee_idx on follows (followee_id, created_at desc)`.execute(
    db,
  );

  await sql`
    create table mutes (
      user_id uuid not null references users(id) on delete cascade,
      muted_user_id uuid not null references users(id) on delete cascade,
      created_at timestamptz not null default now(),
      primary key (user_id, muted_user_id),
      check (user_id <> muted_user_id)
    )`.execute(db);

  // What Discover has already shown someone, so it shows them something new next time.
  await sql`
    create table post_seen (
      user_id uuid not null references users(id) on delete cascade,
      post_id bigint not null references posts(id) on delete cascade,
      seen_at timestamptz not null default now(),
      primary key (user_id, post_id)
    )`.execute(db);

  await sql`
    create table notifications (
      id bigserial primary key,
      user_id uuid not null references users(id) on delete cascade,
      kind text not null check (kind in ('like', 'comment', 'reply', 'follow', 'mention', 'repost')),
      actor_id uuid not null references users(id) on delete cascade,
      post_id bigint references posts(id) on delete cascade,
      comment_id bigint references comments(id) on delete cascade,
      reward_id bigint,
      dedupe_key text not null unique,
      created_at timestamptz not null default now(),
      read_at timestamptz
    )`.execute(db);
  await sql`create index notifications_user_idx on notifications (user_id, id desc)`.execute(db);
  await sql`
    create index notifications_unread_idx on notifications (user_id)
      where read_at is null`.execute(db);

  await sql`
    create table reports (
      id bigserial primary key,
      reporter_id uuid not null references users(id) on delete cascade,
      target_kind text not null check (target_kind in ('post', 'comment', 'user')),
      post_id bigint references posts(id) on delete cascade,
      comment_id bigint references comments(id) on delete cascade,
      user_id uuid references users(id) on delete cascade,
      reason text not null check (char_length(reason) between 1 and 500),
      status text not null default 'open' check (status in ('open', 'hidden', 'dismissed')),
      decided_by uuid references users(id),
      decided_at timestamptz,
      decision_note text,
      created_at timestamptz not null default now(),
      check (num_nonnulls(post_id, comment_id, user_id) = 1)
    )`.execute(db);
  await sql`
    create unique index reports_one_open_per_reporter_idx
      on reports (reporter_id, target_kind, coalesce(post_id, comment_id, 0), coalesce(user_id, '00000000-0000-0000-0000-000000000000'))
      where status = 'open'`.execute(db);
  await sql`create index reports_open_idx on reports (id) where status = 'open'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "reports",
    "notifications",
    "post_seen",
    "mutes",
    "follows",
    "comment_likes",
    "post_likes",
    "comments",
    "post_hashtags",
    "posts",
  ]) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
  await sql`
    alter table users drop column bio, drop column avatar_image_id, drop column shows_earnings,
      drop column hidden_at, drop column follower_count, drop column following_count,
      drop column post_count`.execute(db);
  await sql`drop table images`.execute(db);
}
