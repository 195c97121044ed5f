import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import { ensurePlatformDefaults } from "#core/rewards/platform-defaults.ts";
import { RewardEngine } from "#core/rewards/reward-engine.ts";
import { createDb, type Db, type DbTarget } from "#db/create-db.ts";
import { migrateToLatest } from "#db/migrate.ts";
import { testBackends } from "#tests/support/test-db.ts";
import { insertUsers } from "./ledger-helpers.ts";

/** `npm run ledger:verify` as a deploy pipeline runs it: a separate process, exit code and output. */
function runCli(env: Record<string, string>, args: string[] = []) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!("DATABASE_URL" in env)) delete childEnv.DATABASE_URL;
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      path.resolve("node_modules/.bin/tsx"),
      ["scripts/ledger-verify.ts", ...args],
      { env: childEnv, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function seed(db: Db) {
  await migrateToLatest(db);
  await ensurePlatformDefaults(db);
  const [userId] = (await insertUsers(db, 1)) as [UserId];
  const engine = new RewardEngine(db);
  const result = await engine.reward({
    actionKind: "post.created",
    userId,
    causeId: `cli-${userId}`,
    memo: "You posted",
  });
  if (!result.ok) throw new Error(result.error.message);
  return userId;
}

const corrupt = (db: Db, userId: UserId) =>
  sql`update ledger_accounts set credits_pending = credits_pending + 1
      where code = ${`user:${userId}:wallet`}`.execute(db);

describe("npm run ledger:verify on PGlite (DATA_DIR)", () => {
  let dataDir: string;
  let userId: UserId;
  const pgliteTarget = (): DbTarget => ({ kind: "pglite", dataDir: path.join(dataDir, "pglite") });

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tributary-verify-"));
    const db = createDb(pgliteTarget());
    userId = await seed(db);
    await db.destroy();
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it("exits 0 and says so when the ledger is clean; exits 2 without creating anything when there is no database", async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "tributary-verify-empty-"));
    try {
      const [clean, missing] = await Promise.all([
        runCli({ DATA_DIR: dataDir }),
        runCli({ DATA_DIR: empty }),
      ]);
      expect(clean.stdout).toContain(
        `Ledger verification of ${path.join(dataDir, "pglite")} (embedded PGlite)`,
      );
      expect(clean.stdout).toContain("PASS  balances_match_transfers");
      expect(clean.stdout).toContain("Ledger OK: every invariant holds.");
      expect(clean.code).toBe(0);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain("No PGlite database at");
      expect(fs.readdirSync(empty)).toEqual([]);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  }, 60_000);

  it("exits 2 and explains why when the app (here: this process) has the PGlite directory open", async () => {
    const db = createDb(pgliteTarget());
    try {
      await sql`select 1`.execute(db);
      const { code, stderr } = await runCli({ DATA_DIR: dataDir });
      expect(code).toBe(2);
      expect(stderr).toContain(`it is open in pid ${process.pid}`);
      expect(stderr).toContain("most likely the running app");
      expect(stderr).toContain("Stop the app and run this again");
    } finally {
      await db.destroy();
    }
  }, 60_000);

  it("exits 1 with the precise violation when the ledger is broken, and --json gives it to programs", async () => {
    const db = createDb(pgliteTarget());
    await corrupt(db, userId);
    await db.destroy();
    // As if the app had been killed: PGlite's postmaster.pid is left behind, but no
    // process has the directory open, so the check goes ahead (PGlite recovers it).
    fs.writeFileSync(
      path.join(dataDir, "pglite", "postmaster.pid"),
      "-42\n/pglite/data\n1795620819\n5432\n\n\n       20         1\n",
    );
    // One at a time: PGlite is single-process, and the check refuses a directory in use.
    const text = await runCli({ DATA_DIR: dataDir });
    const json = await runCli({ DATA_DIR: dataDir }, ["--json"]);
    expect(text.stderr).toContain(
      "postmaster.pid was left by an app that did not shut down cleanly",
    );
    expect(text.code).toBe(1);
    expect(text.stdout).toContain("FAIL  zero_sum");
    expect(text.stdout).toContain("FAIL  balances_match_transfers");
    expect(text.stdout).toMatch(
      new RegExp(
        `account #\\d+ user:${userId}:wallet: credits_pending is \\d+ .*but its transfers sum to`,
      ),
    );
    expect(text.stdout).toContain("Ledger FAILED: 2 violations.");
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report.ok).toBe(false);
    expect(report.violations.map((v: { kind: string }) => v.kind)).toEqual([
      "sum_not_zero",
      "balance_mismatch",
    ]);
    expect(report.violations[0]).toMatchObject({ balance: "pending", expected: "0", actual: "1" });
  }, 60_000);
});

describe.skipIf(!testBackends().includes("postgres"))(
  "npm run ledger:verify on Postgres (DATABASE_URL)",
  () => {
    // (The body is collected even when skipped: read the URL only once it runs.)
    const adminUrl = process.env.TEST_DATABASE_URL ?? "";
    const name = `tributary_verify_${randomBytes(6).toString("hex")}`;
    let url: URL;
    let db: Db;
    let userId: UserId;

    beforeAll(async () => {
      url = new URL(adminUrl);
      url.pathname = `/${name}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      db = createDb({ kind: "postgres", url: url.toString() });
      userId = await seed(db);
    });
    afterAll(async () => {
      await db?.destroy();
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    });

    it("runs beside a live connection: exit 0 when clean, 1 with the violation when not; exit 2 naming the database (password hidden) when it cannot connect", async () => {
      const bad = new URL(url);
      bad.password = "secret-password";
      bad.port = "1";
      const [clean, unreachable] = await Promise.all([
        runCli({ DATABASE_URL: url.toString() }),
        runCli({ DATABASE_URL: bad.toString() }),
      ]);
      expect(clean.stdout).toContain("Ledger OK");
      expect(clean.code).toBe(0);
      expect(unreachable.code).toBe(2);
      expect(unreachable.stderr).toContain("Could not verify the Postgres database at");
      expect(unreachable.stderr).not.toContain("secret-password");

      await corrupt(db, userId);
      const broken = await runCli({ DATABASE_URL: url.toString() });
      expect(broken.code).toBe(1);
      expect(broken.stdout).toContain(`user:${userId}:wallet: credits_pending is`);
    }, 60_000);
  },
);
