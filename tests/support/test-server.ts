import fs from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pino } from "pino";
import type { OpenChain } from "#chain/open-settlement-chain.ts";
import { loadConfig } from "#runtime/config.ts";
import { createHttpApp } from "#server/http-app.ts";
import { type AppServices } from "#runtime/app-services.ts";
import { createServices } from "#server/composition-root.ts";
import { openTestDb, type Backend, type TestDb } from "./test-db.ts";

const buildDir = path.resolve("build");

export type TestServer = {
  url: string;
  backend: Backend;
  db: Awaited<ReturnType<typeof openTestDb>>["db"];
  services: AppServices;
  close: () => Promise<void>;
};

/**
 * The real HTTP server (Express + the production Remix build + Yoga) on a free port,
 * over a fresh database. `npm test` builds first; a missing build is a loud failure.
 */
export async function startTestServer(
  backend: Backend,
  env: Record<string, string> = {},
  options: {
    sharedDb?: TestDb;
    chain?: OpenChain;
    /** Receives every server log line (pino JSON, info and up) instead of silence. */
    onLogLine?: (line: string) => void;
  } = {},
): Promise<TestServer> {
  if (!fs.existsSync(path.join(buildDir, "server", "index.js"))) {
    throw new Error("No production build: run `npm run build` (npm test does this) first.");
  }
  // A shared database stays open when this server closes: its owner closes it.
  const testDb = options.sharedDb ?? (await openTestDb(backend));
  const config = loadConfig({
    NODE_ENV: "production",
    COOKIE_SECURE: "false",
    SIGN_IN_MAX_ATTEMPTS_PER_IP: "1000",
    // Suites sign up many people from 127.0.0.1; the suites about limits set their own.
    SIGN_UP_MAX_PER_IP_PER_HOUR: "1000000",
    SIGN_UP_MAX_PER_NETWORK_PER_HOUR: "1000000",
    SIGN_UP_MAX_PER_DEVICE_PER_DAY: "1000000",
    // Suites that settle pass their own test chain (options.chain).
    CHAIN: "off",
    // Nothing seeds the demo accounts here; the banner suite turns this on.
    SEED_DEMO_DATA: "false",
    ...env,
  });
  const logger = options.onLogLine
    ? pino({ level: "info" }, { write: options.onLogLine })
    : pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
  const services = createServices(config, testDb.db, logger, { chain: options.chain });
  const app = await createHttpApp(services, { mode: "production", buildDir });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    backend,
    db: testDb.db,
    services,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await services.close({ keepDatabaseOpen: true });
      if (!options.sharedDb) await testDb.close();
    },
  };
}
