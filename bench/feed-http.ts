/**
 * The HTTP side of bench/feed.ts: the real app server in a process of its own, a keep-alive
 * client, sign-in, and a closed-loop load generator that checks every answer.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { benchAppEnvironment } from "./isolated-env.ts";

export type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };
export type Call = {
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: string;
};

/** Keep-alive HTTP/1.1 to one server, at most `sockets` connections. */
export class HttpClient {
  private readonly agent: http.Agent;
  constructor(
    readonly baseUrl: string,
    sockets: number,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  }

  send(call: Call): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const request = http.request(
        new URL(call.path, this.baseUrl),
        {
          method: call.method,
          agent: this.agent,
          headers:
            call.body === undefined
              ? call.headers
              : { ...call.headers, "content-length": String(Buffer.byteLength(call.body)) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () =>
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              body: Buffer.concat(chunks).toString("utf8"),
            }),
          );
          response.on("error", reject);
        },
      );
      request.on("error", reject);
      request.end(call.body);
    });
  }

  close() {
    this.agent.destroy();
  }
}

/** A POSTed GraphQL operation as a browser on our own origin sends it. */
export function graphqlCall(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  cookie?: string,
): Call {
  return {
    method: "POST",
    path: "/graphql",
    headers: {
      "content-type": "application/json",
      accept: "application/json",
      origin: baseUrl,
      ...(cookie ? { cookie } : {}),
    },
    body: JSON.stringify({ query, variables }),
  };
}

/** The data of a GraphQL answer; throws on anything but a 200 without `errors`. */
export function graphqlData<T>(answer: Answer): T {
  if (answer.status !== 200) {
    throw new Error(`HTTP ${answer.status}: ${answer.body.slice(0, 300)}`);
  }
  const parsed = JSON.parse(answer.body) as { data?: T; errors?: unknown[] };
  if (parsed.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(parsed.errors)}`);
  if (!parsed.data) throw new Error(`no data: ${answer.body.slice(0, 300)}`);
  return parsed.data;
}

const SIGN_IN = /* GraphQL */ `
  mutation BenchSignIn($input: SignInInput!) {
    signIn(input: $input) {
      __typename
      ... on Error {
        message
      }
    }
  }
`;

/** Signs in through GraphQL and returns the session cookie (`name=value`). */
export async function signIn(client: HttpClient, email: string, password: string) {
  const answer = await client.send(
    graphqlCall(client.baseUrl, SIGN_IN, { input: { email, password } }),
  );
  const data = graphqlData<{ signIn: { __typename: string; message?: string } }>(answer);
  if (data.signIn.__typename !== "AuthPayload") {
    throw new Error(`sign-in of ${email} failed: ${data.signIn.__typename} ${data.signIn.message}`);
  }
  const cookie = ([] as string[])
    .concat(answer.headers["set-cookie"] ?? [])
    .map((c) => c.split(";")[0]!)
    .find((c) => c.startsWith("tributary_session="));
  if (!cookie) throw new Error(`sign-in of ${email} set no session cookie`);
  return cookie;
}

/** Runs `work` over `items`, `width` at a time. */
export async function eachLimited<T>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<void>,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

export type AppServer = { url: string; pid: number; stop: () => Promise<void> };

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/**
 * The production build, made now (`remix vite:build`, as `npm run build`) unless
 * BENCH_SKIP_BUILD=1 says the one in build/ is current. Its output is shown only if it fails.
 */
export function buildApp(): { seconds: number; skipped: boolean } {
  if (process.env.BENCH_SKIP_BUILD === "1") {
    if (!fs.existsSync(path.join(root, "build", "server", "index.js"))) {
      throw new Error("BENCH_SKIP_BUILD=1 but there is no build: run `npm run build` first");
    }
    return { seconds: 0, skipped: true };
  }
  const t0 = performance.now();
  const result = spawnSync("npx", ["remix", "vite:build"], { cwd: root, encoding: "utf8" });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout}\n${result.stderr}\n`);
    throw new Error("the production build failed (its output is above)");
  }
  return { seconds: (performance.now() - t0) / 1000, skipped: false };
}

/**
 * The app (bench/feed-server.ts: server/main.ts's services, scheduler and HTTP app, without
 * its build check) in a child process against `databaseUrl`, as production runs it:
 * NODE_ENV=production, CHAIN=off, no demo data, warnings and errors only in the log.
 */
export async function startAppServer(databaseUrl: string): Promise<AppServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    [...process.execArgv, path.join(root, "bench", "feed-server.ts")],
    {
      cwd: root,
      env: benchAppEnvironment({
        NODE_ENV: "production",
        DATABASE_URL: databaseUrl,
        HOST: "127.0.0.1",
        PORT: "0",
        CHAIN: "off",
        SEED_DEMO_DATA: "false",
        LOG_LEVEL: "warn",
        COOKIE_SECURE: "false",
        SIGN_IN_MAX_ATTEMPTS_PER_IP: "1000000",
        DATA_DIR: path.join(os.tmpdir(), `bench-feed-${process.pid}`),
      }),
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let exitedWith: string | null = null;
  const exited = new Promise<void>((resolve) =>
    child.on("exit", (code, signal) => {
      exitedWith = String(signal ?? code);
      resolve();
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    let pending = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      pending += chunk.toString("utf8");
      let newline: number;
      while ((newline = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        const listening = /^listening (http:\/\/\S+)$/.exec(line);
        if (listening) resolve(listening[1]!);
        else process.stderr.write(`[app] ${line}\n`);
      }
    });
    void exited.then(() =>
      reject(new Error(`the app server exited (${exitedWith}) before it was ready`)),
    );
  });
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      if (exitedWith !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** CPU time spent by the app server, its database sessions and this process. */
export type CpuSpent = { appMs: number; dbMs: number; benchMs: number };
type CpuSnapshot = { app: number; db: Map<number, number>; bench: NodeJS.CpuUsage };

const TICK_MS = 10; // Linux reports CPU time in clock ticks of 1/100 s (getconf CLK_TCK)

function ticksOf(pid: number): number | null {
  try {
    // Fields after the command (which may contain spaces): utime and stime are the 12th and 13th.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

/**
 * Reads CPU time from /proc (Linux, same machine): the app server's process and the
 * Postgres backends connected to its database. Where they cannot be read, it reports nothing.
 */
export class CpuMeter {
  private constructor(
    private readonly appPid: number,
    private readonly db: pg.Client,
  ) {}

  static async open(appPid: number, databaseUrl: string): Promise<CpuMeter | null> {
    if (ticksOf(appPid) === null) return null;
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    return new CpuMeter(appPid, db);
  }

  async snapshot(): Promise<CpuSnapshot> {
    const { rows } = await this.db.query<{ pid: number }>(
      `select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
    );
    const db = new Map<number, number>();
    for (const { pid } of rows) {
      const ticks = ticksOf(pid);
      if (ticks !== null) db.set(pid, ticks);
    }
    return { app: ticksOf(this.appPid) ?? 0, db, bench: process.cpuUsage() };
  }

  /** What was spent since `before`; a backend that started in between counts in full. */
  async since(before: CpuSnapshot): Promise<CpuSpent> {
    const after = await this.snapshot();
    let dbTicks = 0;
    for (const [pid, ticks] of after.db) dbTicks += ticks - (before.db.get(pid) ?? 0);
    const bench = process.cpuUsage(before.bench);
    return {
      appMs: (after.app - before.app) * TICK_MS,
      dbMs: dbTicks * TICK_MS,
      benchMs: (bench.user + bench.system) / 1000,
    };
  }

  async close() {
    await this.db.end();
  }
}

export type Figures = {
  /** CPU per answered request, when a CpuMeter was given. */
  cpuPerRequest: CpuSpent | null;
  requests: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  errorSamples: string[];
};

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * `clients` loops, each sending its next request when the last one has been answered and
 * checked (`check` returns what is wrong, or null), for warmMs unrecorded and then measureMs
 * recorded. A request that fails or is wrong is an error; its time is not in the percentiles.
 */
export async function closedLoop(
  client: HttpClient,
  options: { clients: number; warmMs: number; measureMs: number; cpu?: CpuMeter | null },
  next: () => Call,
  check: (answer: Answer) => string | null,
): Promise<Figures> {
  const run = async (ms: number, record: boolean) => {
    const latencies: number[] = [];
    const errorSamples: string[] = [];
    let errors = 0;
    const started = performance.now();
    const deadline = started + ms;
    await Promise.all(
      Array.from({ length: options.clients }, async () => {
        while (performance.now() < deadline) {
          const call = next();
          const t0 = performance.now();
          let problem: string | null;
          try {
            problem = check(await client.send(call));
          } catch (error) {
            problem = error instanceof Error ? error.message : String(error);
          }
          const elapsed = performance.now() - t0;
          if (problem === null) {
            if (record) latencies.push(elapsed);
          } else {
            errors++;
            if (errorSamples.length < 5)
              errorSamples.push(`${call.method} ${call.path}: ${problem}`);
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return { latencies, errors, errorSamples, seconds };
  };
  const warm = await run(options.warmMs, false);
  const cpuBefore = await options.cpu?.snapshot();
  const measured = await run(options.measureMs, true);
  const cpu = cpuBefore ? await options.cpu!.since(cpuBefore) : null;
  const sorted = Float64Array.from(measured.latencies).sort();
  const perRequest = (ms: number) => ms / Math.max(1, sorted.length);
  return {
    cpuPerRequest: cpu && {
      appMs: perRequest(cpu.appMs),
      dbMs: perRequest(cpu.dbMs),
      benchMs: perRequest(cpu.benchMs),
    },
    requests: sorted.length,
    seconds: measured.seconds,
    perSecond: sorted.length / measured.seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? 0,
    errors: warm.errors + measured.errors,
    errorSamples: [...warm.errorSamples, ...measured.errorSamples].slice(0, 5),
  };
}
