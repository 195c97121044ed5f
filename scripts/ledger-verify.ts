/**
 * `npm run ledger:verify`: checks the ledger's invariants on the database the app uses
 * (DATABASE_URL, or the embedded PGlite in DATA_DIR/pglite) and prints what it found.
 *
 *   exit 0  every invariant holds
 *   exit 1  at least one violation (each one is listed: account/transfer/reward, expected, actual)
 *   exit 2  the check could not run (bad configuration, no database, database busy or unreachable)
 *
 * Options: --json prints the report as JSON; --force opens a PGlite directory that looks in use.
 *
 * PGlite is an embedded, single-process database: while the app runs it owns DATA_DIR/pglite,
 * and a second process would read stale pages and could damage it. So on PGlite this is for a
 * stopped app; on Postgres it runs safely beside live instances (one read-only snapshot).
 */
import fs from "node:fs";
import path from "node:path";
import { connectToSettlementChain } from "#chain/open-settlement-chain.ts";
import { ConfigError, loadConfig, type Config } from "#runtime/config.ts";
import {
  formatLedgerReport,
  ledgerReportToJson,
  verifyLedger,
  type LedgerReport,
} from "#core/ledger/verify-ledger.ts";
import { isPostgresError } from "#core/ledger/ledger-error.ts";
import { verifySettlementOnChain, type ChainCheck } from "#core/settlement/settlement.service.ts";
import { createDb, dbTargetFromConfig, type Db, type DbTarget } from "#db/create-db.ts";

const usage = "Usage: npm run ledger:verify [-- --json] [-- --force]";

class CannotVerify extends Error {}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}

/** Linux: the other processes with a file open under `dir` (PGlite keeps its files open). */
function processesUsing(dir: string): { pid: number; command: string }[] | null {
  if (!fs.existsSync("/proc/self/fd")) return null;
  const root = fs.realpathSync(dir) + path.sep;
  const found: { pid: number; command: string }[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or not ours to look at
    }
    const holds = fds.some((fd) => {
      try {
        return (fs.readlinkSync(`/proc/${pid}/fd/${fd}`) + path.sep).startsWith(root);
      } catch {
        return false;
      }
    });
    if (!holds) continue;
    let command = "";
    try {
      command = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
    } catch {
      // unknown command line
    }
    found.push({ pid, command });
  }
  return found;
}

/** Refuses to open a PGlite directory that another process (the running app) has open. */
function ensurePgliteIsFree(dataDir: string, force: boolean): string | null {
  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    throw new CannotVerify(
      `No PGlite database at ${dataDir}: nothing to verify.\n` +
        "Start the app once (npm start) to create it, or set DATABASE_URL to verify a Postgres database.",
    );
  }
  // PGlite writes postmaster.pid when it opens the directory and removes it on a clean close.
  if (!fs.existsSync(path.join(dataDir, "postmaster.pid"))) return null;
  const holders = processesUsing(dataDir);
  const advice =
    "PGlite is an embedded, single-process database: while the app runs it owns this directory, and a\n" +
    "second process would read stale data and could damage it. Stop the app and run this again; for a\n" +
    "live deployment use Postgres (DATABASE_URL), where this check runs safely beside the app.";
  if (holders === null) {
    if (force) return "postmaster.pid is present; opening anyway (--force).";
    throw new CannotVerify(
      `The PGlite database at ${dataDir} looks open in another process (postmaster.pid is present).\n` +
        `${advice}\nIf you are sure the app is stopped (it did not shut down cleanly), run with --force.`,
    );
  }
  if (holders.length > 0) {
    const who = holders.map((h) => `pid ${h.pid}${h.command ? ` (${h.command})` : ""}`).join(", ");
    if (force) return `the database is open in ${who}; opening anyway (--force).`;
    throw new CannotVerify(
      `Cannot open the PGlite database at ${dataDir}: it is open in ${who} — most likely the running app.\n${advice}`,
    );
  }
  return "postmaster.pid was left by an app that did not shut down cleanly; PGlite recovers it on open.";
}

function describeFailure(error: unknown, target: DbTarget, where: string): string {
  const detail = error instanceof Error ? error.message : String(error);
  if (isPostgresError(error, "42P01")) {
    return `The database at ${where} has no ledger tables yet (${detail}).\nRun npm run db:migrate, or start the app once.`;
  }
  if (target.kind === "pglite") {
    return (
      `Could not open the PGlite database at ${where}: ${detail}\n` +
      "If the app is running, it holds this directory open: the check is meant for a Postgres\n" +
      "deployment (DATABASE_URL) or a stopped app. Stop the app and run this again."
    );
  }
  return `Could not verify the Postgres database at ${where}: ${detail}`;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== "--json" && a !== "--force");
  if (unknown.length > 0) {
    console.error(`Unknown option ${unknown.join(" ")}.\n${usage}`);
    return 2;
  }
  const asJson = args.includes("--json");
  const force = args.includes("--force");

  let target: DbTarget;
  let config: Config;
  try {
    config = loadConfig();
    target = dbTargetFromConfig(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  const where =
    target.kind === "postgres" ? redactUrl(target.url) : `${target.dataDir} (embedded PGlite)`;

  let db: Db | undefined;
  let report: LedgerReport;
  let chainChecks: ChainCheck[] | null = null;
  try {
    let note: string | null = null;
    if (target.kind === "pglite") note = ensurePgliteIsFree(target.dataDir!, force);
    if (note && !asJson) console.error(`Note: ${note}`);
    db = createDb(target.kind === "postgres" ? { ...target, poolSize: 1 } : target);
    report = await verifyLedger(db);
    chainChecks = await verifyChain(db, config);
  } catch (error) {
    console.error(
      error instanceof CannotVerify ? error.message : describeFailure(error, target, where),
    );
    return 2;
  } finally {
    await db?.destroy().catch(() => {});
  }

  const chainOk = (chainChecks ?? []).every((check) => check.ok);
  if (asJson) {
    const json = JSON.parse(ledgerReportToJson(report)) as Record<string, unknown>;
    console.log(JSON.stringify({ ...json, ok: report.ok && chainOk, chain: chainChecks }, null, 2));
  } else {
    console.log(`Ledger verification of ${where}`);
    console.log(formatLedgerReport(report));
    if (chainChecks === null) {
      console.log("Chain: not checked (CHAIN=off, or nothing deployed yet).");
    } else {
      console.log("Chain:");
      for (const check of chainChecks) {
        console.log(`  ${check.ok ? "ok  " : "FAIL"} ${check.name}: ${check.message}`);
      }
    }
  }
  return report.ok && chainOk ? 0 : 1;
}

/** The chain half: total settled equals what the distributor received; no over-claims. */
async function verifyChain(db: Db, config: Config): Promise<ChainCheck[] | null> {
  if (config.chain.kind === "off") return null;
  const open = await connectToSettlementChain(config.chain, config.dataDir);
  if (!open) return null;
  try {
    return await verifySettlementOnChain(db, open.chain);
  } finally {
    await open.stop();
  }
}

process.exit(await main());
