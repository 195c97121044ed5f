/**
 * `npm run bench:game-load`: how fast the games load, and what they cost the feed
 * (issue #5, "Speed"). In headless Chromium (Debian's, as the browser tests use) against
 * production builds served by the real app server:
 *
 * 1. **First interactive frame** of each game: a signed-in player opens /games/<id> in a
 *    fresh browser context (cold cache); the time from navigation start to the
 *    `game-interactive` performance mark, which the title scene sets once its first frame
 *    has been drawn with input live. Median of BENCH_LOADS loads per game (5), games
 *    interleaved; the warm figure reloads in the same context.
 * 2. **JavaScript shipped to /feed**, signed in: every script the page loads, raw and
 *    gzipped (level 6, as a CDN or nginx would send it; the app server itself does not
 *    compress), once with this checkout's build and once with the build of the commit
 *    before the games landed (BENCH_BASELINE_REF, default `ba28368^`), checked out in a
 *    temporary git worktree, built and served by its own server code. Both are measured
 *    in this run. Each /feed script is also checked for game code (the games route's
 *    chunk, a scene chunk, or Phaser) and the count is reported.
 *
 * BENCH_SKIP_BUILD=1 serves build/ as it is. BENCH_BASELINE_DIR=<dir> keeps the
 * baseline worktree (and its build) there for the next run instead of removing it.
 * The last line is one JSON object.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chromium, type Browser, type BrowserContextOptions } from "playwright-core";
import { chromiumArgs, chromiumPath } from "#tests/support/chromium.ts";
import { benchAppEnvironment } from "./isolated-env.ts";

const games = ["river-run", "tide-tiles", "rapids-rhythm"] as const;
const loads = Number(process.env.BENCH_LOADS ?? 5);
const baselineRef = process.env.BENCH_BASELINE_REF ?? "ba28368^";
const skipBuild = process.env.BENCH_SKIP_BUILD === "1";
const keptBaselineDir = process.env.BENCH_BASELINE_DIR;
const demo = { email: "ada@demo.tributary.test", password: "stream-of-pennies" };
const root = process.cwd();

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function build(dir: string) {
  const started = performance.now();
  execFileSync("npx", ["remix", "vite:build"], {
    cwd: dir,
    stdio: ["ignore", "ignore", "inherit"],
  });
  console.log(
    `built ${path.relative(root, dir) || "."} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

/** The commit before the games, checked out and built beside this one. */
function prepareBaseline(): { dir: string; sha: string; remove: () => void } {
  const sha = execFileSync("git", ["rev-parse", "--short=12", baselineRef], {
    encoding: "utf8",
  }).trim();
  const dir = keptBaselineDir
    ? path.resolve(keptBaselineDir)
    : fs.mkdtempSync(path.join(os.tmpdir(), `tributary-baseline-${sha}-`));
  const isReady =
    fs.existsSync(path.join(dir, "build", "server", "index.js")) &&
    execFileSync("git", ["-C", dir, "rev-parse", "--short=12", "HEAD"], {
      encoding: "utf8",
    }).trim() === sha;
  if (!isReady) {
    if (!fs.existsSync(path.join(dir, ".git"))) {
      fs.rmSync(dir, { recursive: true, force: true });
      execFileSync("git", ["worktree", "add", "--detach", dir, sha], { stdio: "ignore" });
    }
    // The same installed packages: the baseline's are a subset (it lacks only phaser).
    if (!fs.existsSync(path.join(dir, "node_modules"))) {
      fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
    }
    build(dir);
  } else {
    console.log(`baseline build of ${sha} reused from ${dir}`);
  }
  return {
    dir,
    sha,
    remove: () => {
      if (keptBaselineDir) return;
      execFileSync("git", ["worktree", "remove", "--force", dir], { stdio: "ignore" });
    },
  };
}

type Server = { url: string; stop: () => Promise<void> };

/** The app as `npm start` serves it (bench/feed-server.ts of that tree) on a fresh embedded database. */
async function startServer(dir: string): Promise<Server> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tributary-bench-data-"));
  const env = benchAppEnvironment({
    NODE_ENV: "production",
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    CHAIN: "off",
    LOG_LEVEL: "warn",
    SEED_DEMO_DATA: "true",
    COOKIE_SECURE: "false",
  });
  // Node itself with this process's tsx loader (not `npx tsx`, whose grandchild would
  // outlive a SIGTERM to npx).
  const child: ChildProcess = spawn(
    process.execPath,
    [...process.execArgv, path.join(dir, "bench", "feed-server.ts")],
    { cwd: dir, env, stdio: ["ignore", "pipe", "inherit"] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.on("exit", (code) => reject(new Error(`the server in ${dir} exited (${code})`)));
  });
  return {
    url,
    stop: async () => {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Ada's signed-in cookies, from the sign-in form. */
async function signIn(
  browser: Browser,
  url: string,
): Promise<BrowserContextOptions["storageState"]> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${url}/signin`);
  await page.waitForFunction(() => "__remixRouter" in window);
  await page.getByLabel("Email", { exact: true }).fill(demo.email);
  await page.getByLabel("Password", { exact: true }).fill(demo.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => u.pathname === "/");
  const state = await context.storageState();
  await context.close();
  return state;
}

type Script = { url: string; bytes: number; gzip: number; isGameCode: boolean };

/** A page in a new context (a cold cache) with the signed-in person's cookies, at desktop width. */
async function signedInPage(browser: Browser, storageState: BrowserContextOptions["storageState"]) {
  const context = await browser.newContext({
    storageState,
    viewport: { width: 1280, height: 900 },
  });
  return { context, page: await context.newPage() };
}

/** Every script /feed loads, signed in, once the page has hydrated and the network is quiet. */
async function feedScripts(
  browser: Browser,
  url: string,
  storageState: BrowserContextOptions["storageState"],
) {
  const { context, page } = await signedInPage(browser, storageState);
  const pending: Promise<Script>[] = [];
  page.on("response", (response) => {
    if (response.request().resourceType() !== "script") return;
    pending.push(
      response.body().then((body) => {
        const name = new URL(response.url()).pathname.split("/").pop() ?? "";
        return {
          url: name,
          bytes: body.length,
          gzip: gzipSync(body, { level: 6 }).length,
          isGameCode:
            /^(games_\._gameId|start-(river-run|tide-tiles|rapids-rhythm))-/.test(name) ||
            body.includes("Phaser v"),
        };
      }),
    );
  });
  await page.goto(`${url}/feed`);
  await page.waitForFunction(() => "__remixRouter" in window);
  await page.waitForLoadState("networkidle");
  const scripts = await Promise.all(pending);
  await context.close();
  return {
    scripts,
    bytes: scripts.reduce((n, s) => n + s.bytes, 0),
    gzip: scripts.reduce((n, s) => n + s.gzip, 0),
  };
}

/** Navigation start to the `game-interactive` mark, in a context as fresh as `context` is. */
async function firstInteractive(
  browser: Browser,
  url: string,
  storageState: BrowserContextOptions["storageState"],
  game: string,
) {
  const { context, page } = await signedInPage(browser, storageState);
  const scripts: Promise<number>[] = [];
  page.on("response", (response) => {
    if (response.request().resourceType() === "script") {
      scripts.push(response.body().then((body) => gzipSync(body, { level: 6 }).length));
    }
  });
  const read = async () => {
    await page.waitForFunction(
      () => performance.getEntriesByName("game-interactive").length > 0,
      null,
      {
        timeout: 60_000,
      },
    );
    return page.evaluate(() => performance.getEntriesByName("game-interactive")[0]!.startTime);
  };
  await page.goto(`${url}/games/${game}`);
  const cold = await read();
  await page.waitForLoadState("networkidle");
  const coldBytes = (await Promise.all(scripts)).reduce((n, b) => n + b, 0);
  await page.reload();
  const warm = await read();
  await context.close();
  return { cold, warm, gzip: coldBytes };
}

const browser = await chromium.launch({
  executablePath: chromiumPath,
  headless: true,
  args: chromiumArgs,
});
try {
  if (!skipBuild) build(root);
  const baseline = prepareBaseline();
  let before: Awaited<ReturnType<typeof feedScripts>>;
  try {
    const server = await startServer(baseline.dir);
    try {
      before = await feedScripts(browser, server.url, await signIn(browser, server.url));
    } finally {
      await server.stop();
    }
  } finally {
    baseline.remove();
  }

  const server = await startServer(root);
  const results: Record<
    string,
    {
      median_ms: number;
      min_ms: number;
      max_ms: number;
      warm_median_ms: number;
      js_gzip_bytes: number;
    }
  > = {};
  let after: Awaited<ReturnType<typeof feedScripts>>;
  try {
    const storageState = await signIn(browser, server.url);
    after = await feedScripts(browser, server.url, storageState);
    // One load of each first: the server's first render of a route is not what users meet.
    for (const game of games) await firstInteractive(browser, server.url, storageState, game);
    const samples = Object.fromEntries(
      games.map((g) => [g, [] as Awaited<ReturnType<typeof firstInteractive>>[]]),
    );
    for (let i = 0; i < loads; i++) {
      for (const game of games)
        samples[game]!.push(await firstInteractive(browser, server.url, storageState, game));
    }
    for (const game of games) {
      const cold = samples[game]!.map((s) => s.cold);
      results[game] = {
        median_ms: Math.round(median(cold)),
        min_ms: Math.round(Math.min(...cold)),
        max_ms: Math.round(Math.max(...cold)),
        warm_median_ms: Math.round(median(samples[game]!.map((s) => s.warm))),
        js_gzip_bytes: Math.round(median(samples[game]!.map((s) => s.gzip))),
      };
      const r = results[game]!;
      console.log(
        `${game.padEnd(14)} first interactive: median ${r.median_ms} ms (min ${r.min_ms}, max ${r.max_ms}, ${loads} cold loads); warm reload ${r.warm_median_ms} ms; page JS ${kb(r.js_gzip_bytes)} gzip`,
      );
    }
  } finally {
    await server.stop();
  }

  const gameCode = after.scripts.filter((s) => s.isGameCode);
  console.log(
    `/feed JS before the games (${baseline.sha}): ${before.scripts.length} scripts, ${kb(before.gzip)} gzip (${kb(before.bytes)} raw)`,
  );
  console.log(
    `/feed JS now:                           ${after.scripts.length} scripts, ${kb(after.gzip)} gzip (${kb(after.bytes)} raw); game code among them: ${gameCode.length}${gameCode.length ? ` (${gameCode.map((s) => s.url).join(", ")})` : ""}`,
  );
  // Script by script (names without their content hash), so a difference has an address.
  const stem = (name: string) => name.replace(/-[\w-]{8}\.js$/, "");
  const beforeByStem = new Map(before.scripts.map((s) => [stem(s.url), s]));
  for (const script of after.scripts) {
    const old = beforeByStem.get(stem(script.url));
    if (!old || old.gzip !== script.gzip) {
      console.log(
        `  ${stem(script.url).padEnd(28)} ${old ? `${old.gzip} → ${script.gzip}` : `new, ${script.gzip}`} bytes gzip`,
      );
    }
    beforeByStem.delete(stem(script.url));
  }
  for (const [name, script] of beforeByStem)
    console.log(`  ${name.padEnd(28)} gone (was ${script.gzip})`);
  const [slowest, slowestFigures] = Object.entries(results).sort(
    ([, a], [, b]) => b.median_ms - a.median_ms,
  )[0]!;
  console.log(`slowest first interactive: ${slowest}, median ${slowestFigures.median_ms} ms`);
  console.log(
    JSON.stringify({
      bench: "game-load",
      value: slowestFigures.median_ms,
      unit: "ms",
      baseline: before.gzip,
      feed_js_bytes: after.gzip,
      ratio: Number((after.gzip / before.gzip).toFixed(4)),
      feed_js_raw_bytes: { before: before.bytes, after: after.bytes },
      feed_game_scripts: gameCode.length,
      baseline_ref: baseline.sha,
      games: results,
    }),
  );
} finally {
  await browser.close();
}
