/**
 * `npm run bench:feed`: the feeds under load on real Postgres (issue 4, "Speed").
 *
 * 1. Loads a scratch database with 100,000 users, 1,000,000 posts, 5,000,000 likes and
 *    50–100 follows per user (bench/feed-seed.ts) and prints how long each part took.
 * 2. Builds the app (as `npm run build`; BENCH_SKIP_BUILD=1 uses build/ as it is) and starts
 *    it on that database (bench/feed-server.ts: server/main.ts without its build check, in a
 *    child process, production mode),
 *    signs in a sample of users through GraphQL, walks each one's feeds to a deep page (not
 *    timed), then measures under 32 concurrent closed-loop clients, each request as a random
 *    signed-in user: the Following and Discover feeds through GraphQL (first page and a deep
 *    cursor page), the server-rendered Remix page /feed?tab=following, and the baseline, a
 *    bare `{ __typename }` that touches no database, on the same server in the same run
 *    (before and after the feeds; the mean is the baseline). Then each once more with one client
 *    at a time (service time: nothing queues). Beside each figure, the CPU per request of the
 *    app, its Postgres backends and this process.
 * Any non-200 answer or GraphQL error fails the bench. The last line is one JSON object.
 *
 * Needs Postgres (BENCH_DATABASE_URL, else TEST_DATABASE_URL, else
 * postgres://postgres@127.0.0.1:5432/test): it creates and drops its own database there.
 * BENCH_USERS, BENCH_POSTS, BENCH_LIKES size the load; BENCH_SECONDS (9) and
 * BENCH_WARMUP_SECONDS (2) time each measurement; BENCH_CONCURRENCY (32), BENCH_SESSIONS
 * (256 signed-in users), BENCH_DEEP_PAGE (8), BENCH_DEEP_SESSIONS (64 users walked to it),
 * BENCH_SERVICE_SECONDS (3; 0 skips the one-client runs). BENCH_KEEP_DATABASE=1 keeps the database and
 * prints its URL; BENCH_LOADED_DATABASE_URL=<url> measures a database kept so, without loading.
 */
import { randomInt } from "node:crypto";
import os from "node:os";
import pg from "pg";
import { createScratchDatabase } from "#tests/support/scratch-database.ts";
import {
  buildApp,
  closedLoop,
  CpuMeter,
  eachLimited,
  graphqlCall,
  graphqlData,
  HttpClient,
  signIn,
  startAppServer,
  type Answer,
  type AppServer,
  type Call,
  type Figures,
} from "./feed-http.ts";
import {
  BENCH_PASSWORD,
  benchEmail,
  loadFeedDatabase,
  type FeedSizes,
  type LoadReport,
} from "./feed-seed.ts";

const adminUrl =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  "postgres://postgres@127.0.0.1:5432/test";
const envInt = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
};
const sizes: FeedSizes = {
  users: envInt("BENCH_USERS", 100_000),
  posts: envInt("BENCH_POSTS", 1_000_000),
  likes: envInt("BENCH_LIKES", 5_000_000),
  followsMin: 50,
  followsMax: 100,
};
const concurrency = envInt("BENCH_CONCURRENCY", 32);
const warmMs = envInt("BENCH_WARMUP_SECONDS", 2) * 1000;
const measureMs = envInt("BENCH_SECONDS", 9) * 1000;
const sessionCount = envInt("BENCH_SESSIONS", 256);
const deepPage = envInt("BENCH_DEEP_PAGE", 8);
const deepSessions = envInt("BENCH_DEEP_SESSIONS", 64);
const serviceMs = Number(process.env.BENCH_SERVICE_SECONDS ?? 3) * 1000;
const keepDatabase = process.env.BENCH_KEEP_DATABASE === "1";
const loadedUrl = process.env.BENCH_LOADED_DATABASE_URL;
const PAGE_SIZE = 20;

/** Targets from the issue. */
const TARGET_P99_MS = 50;
const TARGET_RATIO = 0.25;

const FEED = /* GraphQL */ `
  query Feed($kind: FeedKind!, $first: Int, $after: String) {
    feed(kind: $kind, first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          body
          createdAt
          editedAt
          likeCount
          commentCount
          repostCount
          viewerHasLiked
          author {
            id
            handle
            displayName
            avatarUrl
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;
const BARE = /* GraphQL */ `
  {
    __typename
  }
`;

type FeedKind = "FOLLOWING" | "DISCOVER";
type FeedPage = {
  feed: {
    edges: { cursor: string }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};
type Session = { user: number; cookie: string; deep: Partial<Record<FeedKind, string>> };

const cpuFigures = ({ cpuPerRequest: c }: Figures) =>
  c && {
    app: Number(c.appMs.toFixed(2)),
    db: Number(c.dbMs.toFixed(2)),
    bench: Number(c.benchMs.toFixed(2)),
  };
/**
 * What an endpoint would serve on this machine with nothing else running, if CPU were the
 * only limit: the app is one Node thread (one core at most), and the app, its Postgres
 * backends and this client share all the cores. A model, printed beside the measurement
 * because on a shared machine the measured rate also depends on what else runs.
 */
const cpuBoundRate = ({ cpuPerRequest: c }: Figures) =>
  c ? 1000 / Math.max(c.appMs, (c.appMs + c.dbMs + c.benchMs) / os.availableParallelism()) : null;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const ms = (n: number) => n.toFixed(1);
const pick = <T>(items: readonly T[]) => items[randomInt(items.length)]!;

/** A GraphQL answer is right when it is a 200 with data and no errors. */
function checkGraphql(answer: Answer): string | null {
  if (answer.status !== 200) return `HTTP ${answer.status}: ${answer.body.slice(0, 200)}`;
  let parsed: { data?: unknown; errors?: unknown[] };
  try {
    parsed = JSON.parse(answer.body) as typeof parsed;
  } catch {
    return `not JSON: ${answer.body.slice(0, 200)}`;
  }
  if (parsed.errors?.length)
    return `GraphQL errors: ${JSON.stringify(parsed.errors).slice(0, 300)}`;
  if (!parsed.data) return "no data";
  return null;
}

function checkFeed(answer: Answer): string | null {
  const problem = checkGraphql(answer);
  if (problem) return problem;
  const { feed } = (JSON.parse(answer.body) as { data: FeedPage }).data;
  if (!Array.isArray(feed?.edges) || feed.edges.length > PAGE_SIZE) {
    return `not a feed page: ${answer.body.slice(0, 200)}`;
  }
  return null;
}

function checkPage(answer: Answer): string | null {
  if (answer.status !== 200) return `HTTP ${answer.status}: ${answer.body.slice(0, 200)}`;
  if (!String(answer.headers["content-type"]).startsWith("text/html")) {
    return `not HTML: ${answer.headers["content-type"]}`;
  }
  return null;
}

async function signInSample(client: HttpClient): Promise<Session[]> {
  const users = new Set<number>();
  while (users.size < Math.min(sessionCount, sizes.users)) users.add(randomInt(sizes.users));
  const sessions: Session[] = [];
  await eachLimited([...users], 4, async (user) => {
    const cookie = await signIn(client, benchEmail(user), BENCH_PASSWORD);
    sessions.push({ user, cookie, deep: {} });
  });
  return sessions;
}

/** Walks each session's feed to the deep page and keeps the cursor that opens it. */
async function walkToDeepPages(client: HttpClient, sessions: Session[], kind: FeedKind) {
  let reached = 0;
  await eachLimited(sessions, 8, async (session) => {
    let after: string | null = null;
    for (let page = 1; page < deepPage; page++) {
      const answer = await client.send(
        graphqlCall(client.baseUrl, FEED, { kind, first: PAGE_SIZE, after }, session.cookie),
      );
      const { feed } = graphqlData<FeedPage>(answer);
      if (!feed.pageInfo.hasNextPage || !feed.pageInfo.endCursor) return;
      after = feed.pageInfo.endCursor;
    }
    session.deep[kind] = after!;
    reached++;
  });
  return reached;
}

type Probe = {
  key: string;
  label: string;
  isFeed: boolean;
  next: () => Call;
  check: (a: Answer) => string | null;
};

function feedProbe(client: HttpClient, sessions: Session[], kind: FeedKind, deep: boolean): Probe {
  const pool = deep ? sessions.filter((s) => s.deep[kind]) : sessions;
  const name = kind === "FOLLOWING" ? "following" : "discover";
  return {
    key: `${name}_${deep ? "deep" : "first"}`,
    label: `${name}, ${deep ? `page ${deepPage} (cursor)` : "first page"} (GraphQL)`,
    isFeed: true,
    next: () => {
      const session = pick(pool);
      const after = deep ? session.deep[kind]! : null;
      return graphqlCall(client.baseUrl, FEED, { kind, first: PAGE_SIZE, after }, session.cookie);
    },
    check: checkFeed,
  };
}

async function main() {
  // First, so that a build that fails does not cost a load.
  const build = buildApp();
  console.log(
    build.skipped
      ? "Using the production build in build/ (BENCH_SKIP_BUILD=1)"
      : `Built the app (remix vite:build) in ${build.seconds.toFixed(1)} s`,
  );
  let report: LoadReport | null = null;
  let url: string;
  let drop = async () => {};
  if (loadedUrl) {
    url = loadedUrl;
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const { rows } = await db.query<{ n: number }>(
      `select count(*)::int as n from users where email like '%@bench.tributary.test'`,
    );
    await db.end();
    sizes.users = rows[0]!.n;
    console.log(`Using the loaded database ${url} (${fmt(sizes.users)} users); no load.`);
  } else {
    const scratch = await createScratchDatabase(adminUrl, "bench_feed");
    url = scratch.url;
    drop = keepDatabase ? async () => console.log(`kept the database: ${url}`) : scratch.drop;
    console.log(
      `Loading ${fmt(sizes.users)} users, ${fmt(sizes.posts)} posts, ${fmt(sizes.likes)} likes, ` +
        `${sizes.followsMin}–${sizes.followsMax} follows per user into ${adminUrl.replace(/\/\/[^@]*@/, "//")}:`,
    );
    try {
      report = await loadFeedDatabase(url, sizes, console.log);
    } catch (error) {
      await drop();
      throw error;
    }
    console.log(`  load total ${report.seconds.total!.toFixed(1)} s (check not included)`);
  }

  let server: AppServer | null = null;
  let http: HttpClient | null = null;
  let cpu: CpuMeter | null = null;
  try {
    const t0 = performance.now();
    server = await startAppServer(url);
    console.log(
      `App server ready at ${server.url} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const client = new HttpClient(server.url, concurrency);
    http = client;

    const t1 = performance.now();
    const sessions = await signInSample(client);
    console.log(
      `  signed in ${sessions.length} users through GraphQL in ${((performance.now() - t1) / 1000).toFixed(1)} s`,
    );

    const baseline: Probe = {
      key: "baseline",
      label: "baseline: { __typename } (GraphQL)",
      isFeed: false,
      next: () => graphqlCall(client.baseUrl, BARE),
      check: checkGraphql,
    };
    const probes: Probe[] = [];
    const feedCheck = checkGraphql(
      await client.send(
        graphqlCall(
          client.baseUrl,
          FEED,
          { kind: "FOLLOWING", first: PAGE_SIZE },
          sessions[0]!.cookie,
        ),
      ),
    );
    if (feedCheck) {
      console.log(`The feed query fails, so only the baseline is measured: ${feedCheck}`);
    } else {
      for (const kind of ["FOLLOWING", "DISCOVER"] as const) {
        const walked = sessions.slice(0, deepSessions);
        const reached = await walkToDeepPages(client, walked, kind);
        console.log(
          `  ${kind.toLowerCase()}: walked ${walked.length} users' feeds, ${reached} have a page ${deepPage}`,
        );
        if (reached === 0) throw new Error(`no signed-in user has a ${kind} page ${deepPage}`);
      }
      probes.push(
        feedProbe(client, sessions, "FOLLOWING", false),
        feedProbe(client, sessions, "FOLLOWING", true),
        feedProbe(client, sessions, "DISCOVER", false),
        feedProbe(client, sessions, "DISCOVER", true),
        {
          key: "remix_following_first",
          label: "following, first page (Remix HTML /feed)",
          isFeed: true,
          next: () => ({
            method: "GET",
            path: "/feed?tab=following",
            headers: { accept: "text/html", cookie: pick(sessions).cookie },
          }),
          check: checkPage,
        },
      );
    }

    console.log(
      `Measuring: ${concurrency} concurrent clients, ${warmMs / 1000} s warm-up + ${measureMs / 1000} s each, ` +
        `${PAGE_SIZE} posts a page, a random one of ${sessions.length} signed-in users per request`,
    );
    const results: { probe: Probe; figures: Figures }[] = [];
    cpu = await CpuMeter.open(server.pid, url);
    const options = { clients: concurrency, warmMs, measureMs, cpu };
    const row = (label: string, f: Figures) => {
      const c = f.cpuPerRequest;
      console.log(
        `  ${label.padEnd(42)} ${fmt(f.perSecond).padStart(7)} ${ms(f.p50).padStart(7)} ` +
          `${ms(f.p99).padStart(7)} ${ms(f.max).padStart(7)} ${String(f.errors).padStart(6)}` +
          (c
            ? `   app ${c.appMs.toFixed(2)}  db ${c.dbMs.toFixed(2)}  bench ${c.benchMs.toFixed(2)}` +
              `  (CPU-bound ≈ ${fmt(cpuBoundRate(f)!)} req/s)`
            : ""),
      );
    };
    const heading = () =>
      console.log(
        `  ${"endpoint".padEnd(42)} ${"req/s".padStart(7)} ${"p50 ms".padStart(7)} ${"p99 ms".padStart(7)} ` +
          `${"max ms".padStart(7)} ${"errors".padStart(6)}   CPU ms per request`,
      );
    heading();
    for (const probe of [baseline, ...probes, ...(probes.length ? [baseline] : [])]) {
      const figures = await closedLoop(client, options, probe.next, probe.check);
      results.push({ probe, figures });
      row(probe.label, figures);
    }

    // Service time: the same requests one at a time, so nothing queues (no target; it says
    // how much of the latency above is waiting for the 2 cores rather than doing the work).
    const service: { probe: Probe; figures: Figures }[] = [];
    if (serviceMs > 0 && probes.length > 0) {
      console.log(`One client at a time (${serviceMs / 1000} s each, after 0.5 s of warm-up):`);
      heading();
      for (const probe of [baseline, ...probes]) {
        const figures = await closedLoop(
          client,
          { clients: 1, warmMs: 500, measureMs: serviceMs, cpu },
          probe.next,
          probe.check,
        );
        service.push({ probe, figures });
        row(probe.label, figures);
      }
    }

    const failed = [...results, ...service].filter((r) => r.figures.errors > 0);
    if (failed.length > 0) {
      for (const { probe, figures } of failed) {
        console.error(
          `${probe.label}: ${figures.errors} errors, e.g.\n    ${figures.errorSamples.join("\n    ")}`,
        );
      }
      throw new Error("requests failed during the measurements (see above): no figures reported");
    }
    if (probes.length === 0)
      throw new Error("the feed is not there yet: only the baseline was measured");

    const baselineRuns = results.filter((r) => r.probe.key === "baseline").map((r) => r.figures);
    const baselineRps = baselineRuns.reduce((sum, f) => sum + f.perSecond, 0) / baselineRuns.length;
    const feeds = results.filter((r) => r.probe.isFeed);
    const slowest = feeds.reduce((a, b) => (b.figures.perSecond < a.figures.perSecond ? b : a));
    const worstP99 = Math.max(...feeds.map((r) => r.figures.p99));
    const ratio = slowest.figures.perSecond / baselineRps;
    console.log(
      `baseline  ${fmt(baselineRps)} req/s (mean of the runs before and after the feeds: ` +
        `${baselineRuns.map((f) => fmt(f.perSecond)).join(" and ")})`,
    );
    console.log(
      `value     slowest feed endpoint: ${slowest.probe.label}, ${fmt(slowest.figures.perSecond)} req/s`,
    );
    const baselineBound = baselineRuns.map(cpuBoundRate);
    const feedBound = feeds.map((r) => cpuBoundRate(r.figures));
    const cpuBoundRatio =
      baselineBound.every((b) => b !== null) && feedBound.every((b) => b !== null)
        ? Math.min(...(feedBound as number[])) /
          ((baselineBound as number[]).reduce((sum, b) => sum + b, 0) / baselineBound.length)
        : null;
    console.log(
      `ratio     ${ratio.toFixed(3)} (target ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? "met" : "NOT met"}); ` +
        `worst feed p99 ${ms(worstP99)} ms (target < ${TARGET_P99_MS} ms: ${worstP99 < TARGET_P99_MS ? "met" : "NOT met"})`,
    );
    if (cpuBoundRatio !== null) {
      console.log(
        `by CPU    ${cpuBoundRatio.toFixed(3)}: the slowest feed's CPU-bound rate over the baseline's ` +
          `(what the ratio would be with the machine to ourselves, if CPU is what limits)`,
      );
    }
    const round = (n: number, digits = 1) => Number(n.toFixed(digits));
    console.log(
      JSON.stringify({
        bench: "feed",
        value: Math.round(slowest.figures.perSecond),
        unit: "req/s",
        baseline: Math.round(baselineRps),
        ratio: round(ratio, 3),
        p99_ms: round(worstP99, 2),
        cpu_bound_ratio: cpuBoundRatio && round(cpuBoundRatio, 3),
        feeds: Object.fromEntries(
          feeds.map(({ probe, figures }) => [
            probe.key,
            {
              req_s: Math.round(figures.perSecond),
              p50_ms: round(figures.p50, 2),
              p99_ms: round(figures.p99, 2),
              errors: figures.errors,
              cpu_ms_per_request: cpuFigures(figures),
              cpu_bound_req_s: cpuBoundRate(figures) && Math.round(cpuBoundRate(figures)!),
            },
          ]),
        ),
        baseline_runs: baselineRuns.map((f) => ({
          req_s: Math.round(f.perSecond),
          p50_ms: round(f.p50, 2),
          p99_ms: round(f.p99, 2),
          cpu_ms_per_request: cpuFigures(f),
        })),
        service_time: Object.fromEntries(
          service.map(({ probe, figures }) => [
            probe.key,
            { p50_ms: round(figures.p50, 2), p99_ms: round(figures.p99, 2) },
          ]),
        ),
        concurrency,
        sessions: sessions.length,
        deep_page: deepPage,
        sizes: { users: sizes.users, posts: sizes.posts, likes: sizes.likes },
        load_seconds: report
          ? Object.fromEntries(Object.entries(report.seconds).map(([k, v]) => [k, round(v)]))
          : null,
        load_rows: report?.rows ?? null,
      }),
    );
  } finally {
    http?.close();
    await cpu?.close();
    await server?.stop();
    await drop();
  }
}

await main();
