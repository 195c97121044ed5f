import fs from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { sql } from "kysely";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppServices } from "#runtime/app-services.ts";
import { loadConfig } from "#runtime/config.ts";
import { createServices } from "#server/composition-root.ts";
import { createHttpApp } from "#server/http-app.ts";
import { openTestDb, type TestDb } from "#tests/support/test-db.ts";

type LogLine = {
  level: number;
  msg: string;
  requestId?: string;
  err?: { message: string; stack: string };
};

/**
 * The real HTTP server (Express, the production Remix build and Yoga) with a logger whose
 * lines the test reads. Unexpected errors come from a real database missing a table the
 * request needs, not from a mock.
 */
describe("unexpected errors are logged with the request id and stack; the client sees an apology", () => {
  const lines: LogLine[] = [];
  let testDb: TestDb;
  let services: AppServices;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const buildDir = path.resolve("build");
    if (!fs.existsSync(path.join(buildDir, "server", "index.js"))) {
      throw new Error("No production build: run `npm run build` (npm test does this) first.");
    }
    testDb = await openTestDb("pglite");
    const config = loadConfig({ NODE_ENV: "production", COOKIE_SECURE: "false", CHAIN: "off" });
    const logger = pino(
      { level: "info" },
      { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) },
    );
    services = createServices(config, testDb.db, logger);
    const app = await createHttpApp(services, { mode: "production", buildDir });
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await services?.close({ keepDatabaseOpen: true });
    await testDb?.close();
  });

  const errorsOf = (requestId: string) =>
    lines.filter((l) => l.level >= 50 && l.requestId === requestId);

  async function graphql(requestId: string, query: string) {
    const response = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": requestId },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, text: await response.text() };
  }

  it("a GraphQL resolver that throws is logged with the request id and its stack; the client gets only the plain message", async () => {
    await sql`drop table seasons cascade`.execute(testDb.db);
    const { text } = await graphql("gql-broken-1", "{ currentSeason { id name } }");
    const body = JSON.parse(text) as { errors: { message: string; extensions?: object }[] };
    expect(body.errors.map((e) => e.message)).toEqual(["Unexpected error."]);
    // No internals reach the client.
    expect(text).not.toMatch(/seasons|stack|relation/i);

    const logged = errorsOf("gql-broken-1");
    expect(logged).toHaveLength(1);
    expect(logged[0]!.err?.message).toMatch(/seasons/);
    expect(logged[0]!.err?.stack).toMatch(/seasons[\s\S]*\n\s+at /);
  });

  it("an expected failure (a query the schema refuses) is the client's business and is not logged as an error", async () => {
    const { text } = await graphql("gql-invalid-1", "{ noSuchField }");
    const body = JSON.parse(text) as { errors: { message: string }[] };
    expect(body.errors[0]?.message).toMatch(/Cannot query field "noSuchField"/);
    expect(errorsOf("gql-invalid-1")).toEqual([]);
  });

  it("a web loader that throws is logged with the request id and its stack; the page shows an apology", async () => {
    await sql`drop table post_hashtags cascade`.execute(testDb.db);
    const response = await fetch(`${url}/tags/rivers`, {
      headers: { "x-request-id": "web-broken-1" },
    });
    const html = await response.text();
    expect(response.status).toBe(500);
    expect(html).not.toMatch(/post_hashtags/);

    const logged = errorsOf("web-broken-1");
    expect(logged.length).toBeGreaterThanOrEqual(1);
    expect(logged[0]!.err?.message).toMatch(/post_hashtags/);
    expect(logged[0]!.err?.stack).toMatch(/\n\s+at /);
  });
});
