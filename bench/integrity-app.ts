/**
 * The app under attack, as `npm start` serves it, in a process of its own (bench/feed-server.ts:
 * server/main.ts without its build step) on the bench's throwaway database, production mode,
 * CHAIN=off, no demo data, its mail going to the bench's SMTP sink. The production build is made
 * under the shared build lock and copied aside, so another session's build cannot change it
 * while the bench runs.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { benchAppEnvironment } from "./isolated-env.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Builds (unless BENCH_SKIP_BUILD=1) and copies build/ to a private directory. */
export function privateBuild(): { dir: string; seconds: number; remove: () => void } {
  const t0 = performance.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-integrity-build-${process.pid}-`));
  const script =
    process.env.BENCH_SKIP_BUILD === "1"
      ? `test -f build/server/index.js && cp -r build/. "${dir}"`
      : `npx remix vite:build >/dev/null && cp -r build/. "${dir}"`;
  const result = spawnSync("flock", ["/tmp/tributary-build.lock", "sh", "-c", script], {
    cwd: root,
    encoding: "utf8",
  });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout}\n${result.stderr}\n`);
    throw new Error("the production build failed or is missing (output above)");
  }
  // The server build requires its packages (react…) from the nearest node_modules up.
  fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
  return {
    dir,
    seconds: (performance.now() - t0) / 1000,
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export type RunningApp = {
  url: string;
  pid: number;
  /** Stops the app; `keepLog` leaves its log for a failed run to be read. */
  stop: (keepLog?: boolean) => Promise<void>;
};

export async function startApp(settings: {
  databaseUrl: string;
  buildDir: string;
  smtpUrl: string;
}): Promise<RunningApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-integrity-data-${process.pid}-`));
  const child: ChildProcess = spawn(
    process.execPath,
    [...process.execArgv, path.join(root, "bench", "feed-server.ts")],
    {
      cwd: root,
      env: benchAppEnvironment({
        NODE_ENV: "production",
        DATABASE_URL: settings.databaseUrl,
        HOST: "127.0.0.1",
        PORT: "0",
        CHAIN: "off",
        SEED_DEMO_DATA: "false",
        LOG_LEVEL: "warn",
        COOKIE_SECURE: "false",
        SMTP_URL: settings.smtpUrl,
        MAIL_FROM: "Tributary <no-reply@tributary.test>",
        DATA_DIR: dataDir,
        BENCH_BUILD_DIR: settings.buildDir,
      }),
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let exitedWith: string | null = null;
  const exited = new Promise<void>((resolve) =>
    child.on("exit", (code, signal) => {
      exitedWith = String(signal ?? code);
      resolve();
    }),
  );
  // The app's warnings and errors go to a log file; the bench prints where it is.
  const logPath = path.join(dataDir, "app.log");
  const log = fs.createWriteStream(logPath);
  child.stderr!.pipe(log);
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
        else log.write(`${line}\n`);
      }
    });
    void exited.then(() =>
      reject(
        new Error(
          `the app server exited (${exitedWith}) before it was ready; its log: ${logPath}\n` +
            fs.readFileSync(logPath, "utf8").slice(-2000),
        ),
      ),
    );
  });
  return {
    url,
    pid: child.pid!,
    stop: async (keepLog = false) => {
      if (exitedWith === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      log.end();
      if (keepLog) console.log(`the app's log is kept: ${logPath}`);
      else fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
