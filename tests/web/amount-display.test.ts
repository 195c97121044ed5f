import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "#tests/support/factories.ts";
import { readHtml, TestClient } from "#tests/support/http-client.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

/** A page's text as React renders it, without the comments it puts between text nodes. */
const pageText = (html: string) => html.replace(/<!-- -->/g, "");

async function earnerOnWallet(server: TestServer): Promise<string> {
  const { user, password } = await createUser(server.db);
  const paid = await server.services.rewards.reward({
    actionKind: "post.created",
    userId: user.id,
    causeId: `amount-display:${user.id}`,
    memo: "A first post",
  });
  expect(paid.ok && paid.value.status).not.toBe("refused");
  const client = new TestClient(server.url);
  const signedIn = await client.postForm("/signin", { email: user.email, password });
  expect(signedIn.status).toBe(302);
  return pageText(await readHtml(await client.get("/wallet")));
}

describe("amounts on pages", () => {
  let priced: TestServer;
  let demo: TestServer;
  let plain: TestServer;
  beforeAll(async () => {
    [priced, demo, plain] = await Promise.all([
      startTestServer("pglite", { REFERENCE_RATE: "0.5", REFERENCE_CURRENCY: "EUR" }),
      startTestServer("pglite", { SEED_DEMO_DATA: "true" }),
      startTestServer("pglite"),
    ]);
  });
  afterAll(() => Promise.all([priced.close(), demo.close(), plain.close()]));

  it("show MICRO by the one rule, exact units only for machines, and the operator's reference value", async () => {
    const html = await earnerOnWallet(priced);
    expect(html).toMatch(/<data value="5000000000000000"[^>]*>\+?0\.005 MICRO<\/data>/);
    expect(html).toContain(" ≈ €0.0025");
    expect(html).not.toContain("(demo)");
    expect(html).not.toMatch(/base units/i);
  });

  it("label a demo rate as a demo", async () => {
    const html = await earnerOnWallet(demo);
    expect(html).toContain(" ≈ $0.005");
    expect(html).toMatch(/<abbr title="A made-up demo rate[^"]*"[^>]*>\(demo\)<\/abbr>/);
  });

  it("show no reference value when none is configured", async () => {
    const html = await earnerOnWallet(plain);
    expect(html).toMatch(/0\.005 MICRO<\/data>/);
    expect(html).not.toContain("≈");
  });
});
