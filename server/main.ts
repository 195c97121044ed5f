import path from "node:path";
import { pino } from "pino";
import { ConfigError, loadConfig } from "#runtime/config.ts";
import { ensureProductionBuild } from "./ensure-build.ts";
import { createHttpApp } from "./http-app.ts";
import { startScheduler } from "./scheduler.ts";
import { closeServices, openServices } from "./composition-root.ts";
import type { AppServices } from "#runtime/app-services.ts";

const startedAt = performance.now();

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const logger = pino({
  level: config.logLevel,
  redact: ["req.headers.cookie", "*.password", "*.token"],
});

const mode = config.nodeEnv === "development" ? "development" : "production";
const buildDir = path.resolve("build");
if (mode === "production") await ensureProductionBuild(buildDir, logger);

let services: AppServices;
try {
  services = await openServices(config, logger);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
const stopScheduler = startScheduler(services);
const app = await createHttpApp(services, mode === "production" ? { mode, buildDir } : { mode });

const server = app.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  logger.info(
    { url: `http://localhost:${port}`, graphiql: `http://localhost:${port}/graphql`, mode },
    `Tributary ready in ${Math.round(performance.now() - startedAt)} ms`,
  );
});

let isShuttingDown = false;
async function shutDown(signal: string) {
  if (isShuttingDown) return;
  isShuttingDown = true;
  logger.info({ signal }, "shutting down");
  stopScheduler();
  server.close();
  server.closeAllConnections();
  await closeServices(services);
  process.exit(0);
}
process.on("SIGINT", () => void shutDown("SIGINT"));
process.on("SIGTERM", () => void shutDown("SIGTERM"));
