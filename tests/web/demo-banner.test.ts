import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readHtml, TestClient } from "#tests/support/http-client.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

const bannerText = "Demo data is on.";

describe("the demo-data banner", () => {
  let demo: TestServer;
  let real: TestServer;
  beforeAll(async () => {
    [demo, real] = await Promise.all([
      startTestServer("pglite", { SEED_DEMO_DATA: "true" }),
      startTestServer("pglite", { SEED_DEMO_DATA: "false" }),
    ]);
  });
  afterAll(() => Promise.all([demo.close(), real.close()]));

  it("is on every page while demo data is on: home, sign-in, games, a missing page", async () => {
    const client = new TestClient(demo.url);
    for (const path of ["/", "/signin", "/games", "/u/nobody-here"]) {
      const html = await readHtml(await client.get(path));
      expect(html, path).toContain(bannerText);
    }
  });

  it("is nowhere when demo data is off", async () => {
    const client = new TestClient(real.url);
    for (const path of ["/", "/signin", "/u/nobody-here"]) {
      expect(await readHtml(await client.get(path)), path).not.toContain(bannerText);
    }
  });
});
