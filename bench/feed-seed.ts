/**
 * Bulk loading for bench/feed.ts: a social graph of the size the issue names (100,000 users,
 * 1,000,000 posts, 5,000,000 likes, 50–100 follows each) in set-based SQL, on two
 * connections at once, with every counter consistent with the rows loaded.
 *
 * The tables loaded in bulk (posts, post_likes, follows, post_hashtags) lose their keys,
 * indexes and foreign keys for the load and get them back from the definitions read out of
 * the catalog before, sorted and built afterwards (foreign keys validated); the catalog is
 * compared before and after, so the end state is the migrations' own. Users are inserted
 * last (their key is referenced from everywhere, so it stays), with their counters.
 */
import pg from "pg";
import { hashPassword } from "#core/auth/password-hash.ts";
import { ensurePlatformDefaults } from "#core/rewards/platform-defaults.ts";
import { createDb } from "#db/create-db.ts";
import { migrateToLatest } from "#db/migrate.ts";

export type FeedSizes = {
  users: number;
  posts: number;
  likes: number;
  /** Each user follows between followsMin and followsMax others (before de-duplication). */
  followsMin: number;
  followsMax: number;
};

export type LoadReport = {
  seconds: Record<string, number>;
  rows: Record<string, number>;
};

/** Every loaded user signs in with this password (hashed once, the hash shared). */
export const BENCH_PASSWORD = "feed-bench-password";
export const benchEmail = (i: number) => `user_${i}@bench.tributary.test`;

/** Spread of posts' created_at, ending at the moment of the load. */
const POST_SPAN_DAYS = 60;
/** About one post in five carries one of these; earlier ones more often. */
const HASHTAGS = [
  "coffee", "running", "photography", "gaming", "music", "books", "travel", "food",
  "design", "crypto", "gardening", "cycling", "movies", "science", "art", "football",
  "cooking", "hiking", "podcasts", "startups", "chess", "yoga", "jazz", "retro",
]; // prettier-ignore
const WORDS = [
  "today", "the", "river", "small", "streams", "morning", "walked", "finally", "new",
  "idea", "garden", "city", "bright", "quiet", "learned", "friends", "week", "wonder",
  "tiny", "build", "slow", "long", "coffee", "light", "sharing", "notes", "again", "late",
  "rain", "maps", "little", "better",
]; // prettier-ignore
const BULK_TABLES = ["posts", "post_likes", "follows", "post_hashtags"];

type Definition = { kind: "constraint" | "index"; table: string; name: string; sql: string };

/** Migrates a fresh database and loads it; `log` hears each step as it finishes. */
export async function loadFeedDatabase(
  url: string,
  sizes: FeedSizes,
  log: (line: string) => void,
): Promise<LoadReport> {
  const seconds: Record<string, number> = {};
  const rows: Record<string, number> = {};
  const started = performance.now();
  const lap = async <T>(name: string, work: () => Promise<T>, count?: (r: T) => number) => {
    const t0 = performance.now();
    const result = await work();
    seconds[name] = (performance.now() - t0) / 1000;
    const n = count?.(result);
    if (n !== undefined) rows[name] = n;
    log(
      `  ${name.padEnd(14)} ${seconds[name]!.toFixed(1).padStart(6)} s` +
        (n === undefined ? "" : `  ${n.toLocaleString("en-US")} rows`),
    );
    return result;
  };

  await lap("migrate", async () => {
    const db = createDb({ kind: "postgres", url, poolSize: 2 });
    try {
      await migrateToLatest(db);
      await ensurePlatformDefaults(db);
    } finally {
      await db.destroy();
    }
  });
  const passwordHash = await lap("password_hash", () => hashPassword(BENCH_PASSWORD));

  const [a, b] = await Promise.all([openLoader(url), openLoader(url)]);
  try {
    const triggers = await a.query<{ tgname: string }>(
      `select tgname from pg_trigger where not tgisinternal and tgrelid = any($1::regclass[])`,
      [BULK_TABLES],
    );
    if (triggers.rows.length > 0) {
      throw new Error(
        `bench/feed-seed.ts loads ${BULK_TABLES.join(", ")} in bulk and does not know their ` +
          `triggers (${triggers.rows.map((r) => r.tgname).join(", ")}): teach it what they do`,
      );
    }
    const before = await readDefinitions(a);
    await lap("drop_keys", () => dropDefinitions(a, before));

    const loadedAt = (await a.query<{ now: string }>(`select now()::text as now`)).rows[0]!.now;
    const stride = strideCoprimeTo(sizes.users);
    await lap("user_ids", () =>
      a
        .query(
          `create unlogged table bench_user_ids as
         select i, gen_random_uuid() as id from generate_series(0, $1::int - 1) i`,
          [sizes.users],
        )
        .then(() => a.query(`alter table bench_user_ids add primary key (i)`)),
    );

    await Promise.all([
      (async () => {
        await lap(
          "post_plan",
          () => planPosts(a, sizes),
          (r) => r,
        );
        await lap(
          "posts",
          () => insertPosts(a, sizes, loadedAt),
          (r) => r,
        );
        await lap(
          "post_likes",
          () => insertLikes(a, sizes, stride, loadedAt),
          (r) => r,
        );
        await lap(
          "post_hashtags",
          () => insertHashtags(a),
          (r) => r,
        );
      })(),
      (async () => {
        await lap(
          "follows",
          () => insertFollows(b, sizes, loadedAt),
          (r) => r,
        );
        await lap("follow_counts", () => countFollows(b));
      })(),
    ]);
    await lap(
      "users",
      () => insertUsers(a, passwordHash, loadedAt),
      (r) => r,
    );
    await a.query(`drop table bench_user_ids, bench_post_plan, bench_follow_counts`);
    await a.query(`select setval('posts_id_seq', (select max(id) from posts))`);

    const isForeignKey = (d: Definition) =>
      d.kind === "constraint" && d.sql.includes("FOREIGN KEY");
    await lap("indexes", () =>
      inParallel([a, b], interleaveByTable(before.filter((d) => !isForeignKey(d))), (client, d) =>
        client.query(d.sql),
      ),
    );
    // Added NOT VALID (instant), then validated two at a time: validation locks less than
    // adding a checked key does, so two run side by side; the end state is the same.
    await lap("foreign_keys", async () => {
      const fks = before.filter(isForeignKey);
      for (const d of fks) await a.query(`${d.sql} not valid`);
      await inParallel([a, b], fks, (client, d) =>
        client.query(`alter table ${d.table} validate constraint ${quoteIdent(d.name)}`),
      );
    });
    const after = await readDefinitions(a);
    if (JSON.stringify(after) !== JSON.stringify(before)) {
      throw new Error(
        `the keys and indexes after the load differ from the migrations':\n` +
          `before: ${JSON.stringify(before, null, 1)}\nafter: ${JSON.stringify(after, null, 1)}`,
      );
    }
    // VACUUM as well as ANALYZE: a live database has been vacuumed (visibility map set for
    // index-only scans, hint bits written); without it autovacuum would wake up during the
    // measurements and the first reads of every page would write it again.
    await lap("vacuum_analyze", () =>
      inParallel([a, b], [...BULK_TABLES, "users"], (client, table) =>
        client.query(`vacuum (analyze) ${table}`),
      ),
    );
    seconds.total = (performance.now() - started) / 1000;
    await lap("check", () => checkCounters(a, sizes));
  } finally {
    await Promise.all([a.end(), b.end()]);
  }
  return { seconds, rows };
}

async function openLoader(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`set maintenance_work_mem = '1GB'`);
  await client.query(`set work_mem = '512MB'`);
  await client.query(`set synchronous_commit = off`);
  return client;
}

/**
 * The keys, unique constraints, foreign keys and indexes of the bulk tables, and the
 * foreign keys that point at them, as the statements that make them.
 */
async function readDefinitions(client: pg.Client): Promise<Definition[]> {
  const constraints = await client.query<Definition>(
    `select 'constraint' as kind, conrelid::regclass::text as table, conname as name,
            'alter table ' || conrelid::regclass::text || ' add constraint ' || quote_ident(conname)
              || ' ' || pg_get_constraintdef(oid) as sql
     from pg_constraint
     where (conrelid = any($1::regclass[]) and contype in ('p', 'u', 'x', 'f'))
        or (confrelid = any($1::regclass[]) and contype = 'f')`,
    [BULK_TABLES],
  );
  const indexes = await client.query<Definition>(
    `select 'index' as kind, i.indrelid::regclass::text as table,
            i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as sql
     from pg_index i
     where i.indrelid = any($1::regclass[])
       and not exists (select 1 from pg_constraint c
                       where c.conindid = i.indexrelid and c.contype in ('p', 'u', 'x'))`,
    [BULK_TABLES],
  );
  return [...constraints.rows, ...indexes.rows].sort((x, y) =>
    `${x.kind} ${x.table} ${x.name}`.localeCompare(`${y.kind} ${y.table} ${y.name}`),
  );
}

async function dropDefinitions(client: pg.Client, definitions: Definition[]) {
  const fks = definitions.filter((d) => d.kind === "constraint" && d.sql.includes("FOREIGN KEY"));
  const keys = definitions.filter((d) => d.kind === "constraint" && !fks.includes(d));
  for (const d of [...fks, ...keys]) {
    await client.query(`alter table ${d.table} drop constraint ${quoteIdent(d.name)}`);
  }
  for (const d of definitions.filter((d) => d.kind === "index")) {
    await client.query(`drop index ${d.name}`);
  }
}

/**
 * Keys first, the biggest tables first, alternating between tables: a key takes its table
 * whole while it is built, so the other connection had better be busy with another table.
 */
function interleaveByTable(definitions: Definition[]): Definition[] {
  const perTable = BULK_TABLES.map((table) =>
    definitions
      .filter((d) => d.table === table)
      .sort((x, y) => Number(y.kind === "constraint") - Number(x.kind === "constraint")),
  );
  const order = [1, 2, 0, 3].map((k) => perTable[k]!); // post_likes, follows, posts, hashtags
  const out: Definition[] = [];
  for (let k = 0; k < definitions.length; k++) {
    for (const list of order) {
      const definition = list[k];
      if (definition) out.push(definition);
    }
  }
  return out;
}

/** Runs `work` on every item, each client taking the next item when it is free. */
async function inParallel<T>(
  clients: pg.Client[],
  items: T[],
  work: (client: pg.Client, item: T) => Promise<unknown>,
) {
  const queue = [...items];
  await Promise.all(
    clients.map(async (client) => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
        await work(client, item);
      }
    }),
  );
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** A prime step that visits every residue modulo `n`, so k·step mod n is distinct for k < n. */
function strideCoprimeTo(n: number): number {
  for (let p = 7919; ; p++) {
    let isPrime = true;
    for (let d = 2; d * d <= p; d++) if (p % d === 0) isPrime = false;
    if (isPrime && n % p !== 0) return p;
  }
}

/**
 * One row per post: its author (users 0, 1, 2… write the most: index ~ U·r²), its number of
 * likes (a heavy-tailed weight per post, scaled in integers so they add up to exactly
 * `likes`), where its likers start, and its hashtag if any.
 */
async function planPosts(client: pg.Client, sizes: FeedSizes): Promise<number> {
  // A post gets about weight × likes / (posts × mean weight) likes, and the mean weight is at
  // least 1: capping the weight so keeps every post within the number of users there are.
  const weightCap = Math.max(1, Math.min(5000, (0.9 * sizes.users * sizes.posts) / sizes.likes));
  const result = await client.query(
    `create unlogged table bench_post_plan as
     with weighted as (
       select g as p,
              floor($1::int * power(random(), 2))::int as author,
              round(100 * least(power(1 - random(), -0.8), $4::float8))::bigint as weight,
              case when random() < 0.2
                then floor(${HASHTAGS.length} * power(random(), 1.5))::int end as tag
       from generate_series(1, $2::int) g
     ), cumulative as (
       select *, (sum(weight) over (order by p))::bigint as upto from weighted
     ), total as (select max(upto) as total from cumulative)
     select p, author, tag,
            (upto * $3::bigint / total - (upto - weight) * $3::bigint / total)::int as likes,
            floor(random() * $1::int)::int as liker_start
     from cumulative, total`,
    [sizes.users, sizes.posts, sizes.likes, weightCap],
  );
  const check = await client.query<{ likes: string; heaviest: number }>(
    `select sum(likes)::text as likes, max(likes) as heaviest from bench_post_plan`,
  );
  const { likes, heaviest } = check.rows[0]!;
  if (Number(likes) !== sizes.likes || heaviest > sizes.users) {
    throw new Error(`post plan is off: ${likes} likes (want ${sizes.likes}), heaviest ${heaviest}`);
  }
  return result.rowCount ?? 0;
}

/** The users' ids as one array held in memory by the query: `ids[i + 1]` is user i's id. */
const USER_IDS = `(select array_agg(id order by i) as ids from bench_user_ids) user_ids`;

/** Post p's created_at: spread evenly over the last POST_SPAN_DAYS days, in id order. */
const postCreatedAt = (p: string) =>
  `$1::timestamptz - make_interval(secs => ${POST_SPAN_DAYS} * 86400.0 * ($2::int - ${p}) / $2::int)`;

async function insertPosts(client: pg.Client, sizes: FeedSizes, loadedAt: string) {
  const word = (salt: number) =>
    `(array[${WORDS.map((w) => `'${w}'`).join(",")}])[1 + ((p * ${salt}) # (p >> 3)) % ${WORDS.length}]`;
  const result = await client.query(
    `insert into posts (id, author_id, body, created_at, like_count, comment_count,
                        repost_count, hot_score)
     select p, ids[author + 1], body, created_at, likes, 0, 0,
            log(greatest(1, 1 + likes)) + extract(epoch from created_at) / 45000
     from (
       select p, author, likes, ${postCreatedAt("p")} as created_at,
              'Note ' || p || ': ' || ${word(7)} || ' ' || ${word(13)} || ' ' || ${word(29)} || ' '
                || ${word(31)} || ', ' || ${word(37)} || ' ' || ${word(41)} || ' and '
                || ${word(43)} || ' ' || ${word(53)} || ' ' || ${word(59)}
                || coalesce(' #' || (array[${HASHTAGS.map((t) => `'${t}'`).join(",")}])[tag + 1], '')
                as body
       from bench_post_plan
     ) planned, ${USER_IDS}`,
    [loadedAt, sizes.posts],
  );
  return result.rowCount ?? 0;
}

/** Each post's likers: distinct users start + k·stride (mod U), at times after the post. */
async function insertLikes(client: pg.Client, sizes: FeedSizes, stride: number, loadedAt: string) {
  const result = await client.query(
    `insert into post_likes (post_id, user_id, created_at)
     select p, ids[((liker_start::bigint + k::bigint * $4::bigint) % $3::int)::int + 1],
            created_at + random() * ($1::timestamptz - created_at)
     from (select p, liker_start, likes, ${postCreatedAt("p")} as created_at
           from bench_post_plan) p
     cross join lateral generate_series(0, p.likes - 1) k, ${USER_IDS}`,
    [loadedAt, sizes.posts, sizes.users, stride],
  );
  return result.rowCount ?? 0;
}

async function insertHashtags(client: pg.Client) {
  const result = await client.query(
    `insert into post_hashtags (tag, post_id)
     select (array[${HASHTAGS.map((t) => `'${t}'`).join(",")}])[tag + 1], p
     from bench_post_plan where tag is not null`,
  );
  return result.rowCount ?? 0;
}

/**
 * Each user follows followsMin..followsMax others: half of the picks uniform, half skewed
 * to the first users (index ~ U·r², the prolific authors), so a few have many followers.
 * Repeated picks (removed per follower, which is much cheaper than over the whole graph)
 * and self-follows are dropped.
 */
async function insertFollows(client: pg.Client, sizes: FeedSizes, loadedAt: string) {
  const result = await client.query(
    `insert into follows (follower_id, followee_id, created_at)
     select ids[f + 1], ids[e + 1], $4::timestamptz - random() * interval '90 days'
     from generate_series(0, $1::int - 1) f
     cross join lateral (
       select distinct e from (
         select case when k % 2 = 0 then floor($1::int * random())::int
                     else floor($1::int * power(random(), 2))::int end as e
         from generate_series(1, $2::int + ((f::bigint * 7919) % ($3::int - $2::int + 1))::int) k
       ) picks
       where e <> f
     ) pairs, ${USER_IDS}`,
    [sizes.users, sizes.followsMin, sizes.followsMax, loadedAt],
  );
  return result.rowCount ?? 0;
}

/** Followers and followings per user, from the follows loaded. */
async function countFollows(client: pg.Client) {
  await client.query(
    `create unlogged table bench_follow_counts as
     select coalesce(followers.id, following.id) as id,
            coalesce(followers.n, 0) as followers, coalesce(following.n, 0) as following
     from (select followee_id as id, count(*)::int as n from follows group by 1) followers
     full join (select follower_id as id, count(*)::int as n from follows group by 1) following
       on following.id = followers.id`,
  );
}

/** The users, with counters taken from the rows loaded. */
async function insertUsers(client: pg.Client, passwordHash: string, loadedAt: string) {
  const result = await client.query(
    `insert into users (id, handle, email, display_name, password_hash, created_at, updated_at,
                        bio, follower_count, following_count, post_count)
     select u.id, 'user_' || u.i, 'user_' || u.i || '@bench.tributary.test', 'User ' || u.i, $1,
            $2::timestamptz - interval '120 days', $2::timestamptz,
            case when u.i % 3 = 0 then 'Writes about small streams of income.' else '' end,
            coalesce(f.followers, 0), coalesce(f.following, 0), coalesce(authored.n, 0)
     from bench_user_ids u
     left join bench_follow_counts f on f.id = u.id
     left join (select author, count(*)::int as n from bench_post_plan group by 1) authored
       on authored.author = u.i`,
    [passwordHash, loadedAt],
  );
  return result.rowCount ?? 0;
}

/**
 * Recounts, for a sample of users and posts, what the feed shows, from the rows loaded (the
 * counters are computed from those rows; this makes sure a change here cannot break that).
 */
async function checkCounters(client: pg.Client, sizes: FeedSizes) {
  const { rows } = await client.query<Record<string, string>>(
    `select
       (select count(*) from users where email like '%@bench.tributary.test')::text as users,
       (select count(*) from posts)::text as posts,
       (select count(*) from post_likes)::text as likes,
       (select count(*) from (select * from posts tablesample bernoulli (1)) p
        where p.like_count <> (select count(*) from post_likes where post_id = p.id)
           or p.hot_score <> log(greatest(1, 1 + p.like_count)) + extract(epoch from p.created_at) / 45000
       )::text as wrong_posts,
       (select count(*) from (select * from users tablesample bernoulli (2)) u
        where u.post_count <> (select count(*) from posts where author_id = u.id)
           or u.follower_count <> (select count(*) from follows where followee_id = u.id)
           or u.following_count <> (select count(*) from follows where follower_id = u.id)
       )::text as wrong_users,
       (select count(*) from (select created_at, lag(created_at) over (order by id) as before
                              from posts) x where before >= created_at)::text as out_of_order`,
  );
  const r = rows[0]!;
  const problems = [
    Number(r.users) !== sizes.users && `${r.users} users`,
    Number(r.posts) !== sizes.posts && `${r.posts} posts`,
    Number(r.likes) !== sizes.likes && `${r.likes} likes`,
    r.wrong_posts !== "0" && `${r.wrong_posts} sampled posts with a wrong counter or hot_score`,
    r.wrong_users !== "0" && `${r.wrong_users} sampled users with a wrong counter`,
    r.out_of_order !== "0" && `${r.out_of_order} posts whose id is out of created_at order`,
  ].filter(Boolean);
  if (problems.length > 0)
    throw new Error(`the loaded data is inconsistent: ${problems.join("; ")}`);
}
