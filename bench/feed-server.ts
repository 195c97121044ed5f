/**
 * The app as `npm start` serves it (server/main.ts: services, scheduler, Express with the
 * production Remix build and Yoga), for bench/feed.ts to run in a process of its own. It
 * differs from main.ts only in never building: the bench builds once before it starts
 * this, so that a source file changing during the run cannot trigger a second build.
 * Prints `listening <url>` when it is ready.
 */
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pino } from "pino";
import { loadConfig } from "#runtime/config.ts";
import { createHttpApp } from "#server/http-app.ts";
import { startScheduler } from "#server/scheduler.ts";
import { closeServices, openServices } from "#server/composition-root.ts";

const config = loadConfig();
const logger = pino({
  level: config.logLevel,
  redact: ["req.headers.cookie", "*.password", "*.token"],
});
const services = await openServices(config, logger);
const stopScheduler = startScheduler(services);
const app = await createHttpApp(services, {
  mode: "production",
  buildDir: path.resolve(process.env.BENCH_BUILD_DIR ?? "build"),
});
const server = app.listen(config.port, config.host, () => {
  const { port } = server.address() as AddressInfo;
  console.log(`listening http://${config.host}:${port}`);
});

process.on("SIGTERM", async () => {
  stopScheduler();
  server.close();
  server.closeAllConnections();
  await closeServices(services);
  process.exit(0);
});
