import fs from "node:fs";
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
} from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { chromiumArgs, chromiumPath } from "./chromium.ts";
import { startTestServer, type TestServer } from "./test-server.ts";

export function hasChromium(): boolean {
  try {
    fs.accessSync(chromiumPath, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const installHint = `Install it with: apt-get install -y chromium`;

/**
 * Whether the browser suite can run here. Use as `describe.skipIf(!browserSuiteCanRun())`.
 * - Chromium present: true.
 * - Missing under CI: throws, so the run fails instead of skipping the browser tests.
 * - Missing on a developer machine: says so loudly on stderr and returns false, so the
 *   tests show up as skipped rather than passed.
 */
export function browserSuiteCanRun(): boolean {
  if (hasChromium()) return true;
  const ci = process.env.CI;
  if (ci && ci !== "false" && ci !== "0") {
    throw new Error(
      `Browser tests must run in CI, but ${chromiumPath} was not found. ${installHint} (.ci/run does this).`,
    );
  }
  const banner = "!".repeat(78);
  process.stderr.write(
    `\n${banner}\nBROWSER SUITE DID NOT RUN: ${chromiumPath} not found. ${installHint}\n` +
      `The e2e tests below are SKIPPED, not passed.\n${banner}\n\n`,
  );
  return false;
}

/** Headless Debian Chromium with a fresh temporary profile. */
export async function launchBrowser(): Promise<Browser> {
  if (!hasChromium()) {
    throw new Error(`${chromiumPath} not found. ${installHint}`);
  }
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}

/**
 * The usual browser-suite fixture: the real server over a fresh PGlite and one
 * Chromium, started before the suite's tests and closed after them. `newPage` opens a
 * fresh context (its own cookies) at `viewport` unless the options say otherwise.
 */
export function browserSuite(
  viewport: { width: number; height: number },
  options: { startServer?: () => Promise<TestServer> } = {},
) {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const suite = {
    server: undefined as unknown as TestServer,
    async newPage(options: BrowserContextOptions = {}) {
      const context = await browser!.newContext({ viewport, ...options });
      contexts.push(context);
      return context.newPage();
    },
  };
  beforeAll(async () => {
    suite.server = await (options.startServer?.() ?? startTestServer("pglite"));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await suite.server?.close();
  });
  return suite;
}
