import { configVariableNames } from "#runtime/config.ts";

/**
 * The environment for an app process a benchmark starts: this process's environment without
 * any of the app's configuration variables (a developer's DATABASE_URL, CHAIN_*, REDIS_URL…
 * must not change what is measured), plus exactly what the benchmark sets.
 */
export function benchAppEnvironment(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of configVariableNames) delete env[name];
  return { ...env, ...settings };
}
