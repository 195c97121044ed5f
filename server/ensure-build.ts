import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Logger } from "pino";

const sourceDirs = ["app", "graphql", "core", "db", "game", "chain"];
const sourceFiles = ["vite.config.ts", "remix.config.js", "package.json"];

function newestMtime(entry: string): number {
  if (!fs.existsSync(entry)) return 0;
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const child of fs.readdirSync(entry)) {
    newest = Math.max(newest, newestMtime(path.join(entry, child)));
  }
  return newest;
}

/**
 * `npm start` on a fresh clone has no build yet, and after a `git pull` the build
 * may be stale: build once in either case so the command always serves current code.
 */
export async function ensureProductionBuild(buildDir: string, logger: Logger): Promise<void> {
  const serverEntry = path.join(buildDir, "server", "index.js");
  const builtAt = fs.existsSync(serverEntry) ? fs.statSync(serverEntry).mtimeMs : 0;
  const changedAt = Math.max(...[...sourceDirs, ...sourceFiles].map(newestMtime));
  if (builtAt > changedAt) return;
  logger.info(builtAt === 0 ? "building the app (first start)" : "sources changed: rebuilding");
  const result = spawnSync("npx", ["remix", "vite:build"], { stdio: "inherit" });
  if (result.status !== 0) throw new Error("the production build failed; see the output above");
}
