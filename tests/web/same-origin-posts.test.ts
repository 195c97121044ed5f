import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

// Our origin guard (core/auth/request-origin.ts) decides whether a post came from our pages;
// Remix's own, simpler check must never turn a post the guard let through into a 500.

describe("form posts the same-origin guard lets through", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer("pglite");
  });
  afterAll(() => server.close());

  function post(path: string, headers: Record<string, string>) {
    return fetch(`${server.url}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams({ email: "someone@example.com", password: "x" }).toString(),
    });
  }

  it("a page with a strict Referrer-Policy posts with Origin: null and is served, not a 500", async () => {
    for (const path of ["/forgot-password", "/signin", "/reset-password?token=abc"]) {
      const response = await post(path, { origin: "null", "sec-fetch-site": "same-origin" });
      expect(response.status, path).toBeLessThan(500);
      expect(response.status, path).not.toBe(403);
      await response.arrayBuffer();
    }
  });

  it("Origin: null from anywhere but our own pages is still refused", async () => {
    const response = await post("/forgot-password", {
      origin: "null",
      "sec-fetch-site": "cross-site",
    });
    expect(response.status).toBe(403);
    await response.arrayBuffer();
  });

  it("an X-Forwarded-Host nobody trusts (TRUST_PROXY off) neither breaks nor steers the check", async () => {
    const response = await post("/forgot-password", {
      origin: server.url,
      "x-forwarded-host": "evil.example",
    });
    expect(response.status).toBeLessThan(500);
    expect(response.status).not.toBe(403);
    await response.arrayBuffer();
  });
});
