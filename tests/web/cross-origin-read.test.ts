import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserSuiteCanRun, launchBrowser } from "#tests/support/browser.ts";
import { createUser } from "#tests/support/factories.ts";
import { waitForHydration } from "#tests/support/page-checks.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

// The attack as it was reported: a page on another port of the same host (same site, so
// the browser sends the SameSite=Lax session cookie along) reads the signed-in person's
// GraphQL answers with fetch(…, { credentials: "include" }).

type Attempt = { status: number; text: string } | { error: string };
type Loot = { get: Attempt; post: Attempt };

/** A page whose script asks `api` for the viewer's email, by GET and by POST, with cookies. */
function attackerPage(api: string): string {
  const script = `
    const query = "{ viewer { email } }";
    async function attempt(request) {
      try {
        const response = await request();
        return { status: response.status, text: await response.text() };
      } catch (error) {
        return { error: String(error) };
      }
    }
    window.loot = (async () => ({
      get: await attempt(() =>
        fetch(${JSON.stringify(api)} + "?query=" + encodeURIComponent(query), {
          credentials: "include",
        }),
      ),
      post: await attempt(() =>
        fetch(${JSON.stringify(api)}, {
          method: "POST",
          credentials: "include",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query }),
        }),
      ),
    }))();`;
  return `<!doctype html><html><head><title>Not Tributary</title></head><body><script>${script}</script></body></html>`;
}

/** A tiny site of its own on 127.0.0.1 (another port: same site, another origin). */
async function startPageServer(): Promise<{
  origin: string;
  setApi: (api: string) => void;
  close: () => Promise<void>;
}> {
  let api = "";
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(attackerPage(api));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    setApi: (value) => {
      api = value;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe.skipIf(!browserSuiteCanRun())("reading /graphql from another origin in Chromium", () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let stranger: Awaited<ReturnType<typeof startPageServer>>;
  let partner: Awaited<ReturnType<typeof startPageServer>>;
  let email: string;

  beforeAll(async () => {
    stranger = await startPageServer();
    partner = await startPageServer();
    server = await startTestServer("pglite", { CORS_ALLOWED_ORIGINS: partner.origin });
    for (const site of [stranger, partner]) site.setApi(`${server.url}/graphql`);
    browser = await launchBrowser();
    context = await browser.newContext();

    const { user, password } = await createUser(server.db);
    email = user.email;
    const page = await context.newPage();
    await page.goto(`${server.url}/signin`);
    await waitForHydration(page);
    await page.getByLabel("Email", { exact: true }).fill(user.email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    await page.close();
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
    await stranger?.close();
    await partner?.close();
  });

  async function lootFrom(origin: string): Promise<Loot> {
    const page = await context.newPage();
    try {
      await page.goto(`${origin}/`);
      return await page.evaluate(() => (window as unknown as { loot: Promise<Loot> }).loot);
    } finally {
      await page.close();
    }
  }

  it("the browser really is signed in: the site's own page reads the email", async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    const answer = await page.evaluate(async () => {
      const response = await fetch("/graphql", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ viewer { email } }" }),
      });
      return response.text();
    });
    await page.close();
    expect(answer).toContain(email);
  });

  it("a page on an origin outside the allow-list cannot read the signed-in person's data", async () => {
    const loot = await lootFrom(stranger.origin);
    for (const attempt of [loot.get, loot.post]) {
      expect(attempt).toEqual({ error: expect.stringMatching(/Failed to fetch/) });
      expect(JSON.stringify(attempt)).not.toContain(email);
    }
  });

  it("a page on an allow-listed origin can read it with a GET (so the test above can see a leak)", async () => {
    const loot = await lootFrom(partner.origin);
    expect(loot.get).toEqual({ status: 200, text: expect.stringContaining(email) });
  });
});
