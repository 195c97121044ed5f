/**
 * Runs before every test file (vitest `setupFiles`). A test must not depend on the checkout it
 * runs in or on the shell that started it: the developer's `DATABASE_URL`, `CHAIN_*`,
 * `REDIS_URL`… are removed, and `DATA_DIR` points at a fresh directory of this file's own,
 * so nothing (a child process, the ledger:verify CLI, a test server) finds the embedded app's
 * `./data` that `npm start` left behind. What a test needs it passes explicitly.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import { configVariableNames } from "#runtime/config.ts";

for (const name of configVariableNames) delete process.env[name];
process.env.NODE_ENV = "test";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tributary-test-data-"));
process.env.DATA_DIR = dataDir;

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
