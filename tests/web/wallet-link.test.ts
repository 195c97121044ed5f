import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testAccount } from "#tests/support/ethereum-provider.ts";
import { createUser } from "#tests/support/factories.ts";
import { readHtml, TestClient } from "#tests/support/http-client.ts";
import { signFor } from "#tests/support/siwe-form-signing.ts";
import { testBackends } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

async function signedInClient(server: TestServer) {
  const { user, password } = await createUser(server.db);
  const client = new TestClient(server.url);
  const response = await client.postForm("/signin", { email: user.email, password });
  if (response.status !== 302) throw new Error(`sign-in failed: ${response.status}`);
  return { client, user };
}

describe.each(testBackends())("linking a wallet through the web routes on %s", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  it("links from the wallet page's endpoint, then the page shows the address; unlink is a plain form", async () => {
    const { client } = await signedInClient(server);
    const account = testAccount(`web-link-${backend}`);
    const before = await readHtml(await client.get("/wallet"));
    expect(before).toContain("Linked wallet");
    expect(before).toContain("No wallet linked yet.");
    // Without JavaScript there is no wallet to sign with, and the page says so.
    expect(before).toContain("Linking a wallet needs JavaScript and a browser wallet");

    const signed = await signFor(client, "/wallet/link", account, server);
    const linked = await client.postForm("/wallet/link", { intent: "link", ...signed });
    expect(linked.status).toBe(200);
    expect(await linked.json()).toEqual({
      ok: true,
      address: account.address,
      replacedAddress: null,
      isUnchanged: false,
    });

    const page = await readHtml(await client.get("/wallet"));
    expect(page).toContain(`${account.address.slice(0, 6)}…${account.address.slice(-4)}`);
    expect(page).toContain(`>${account.address}</code>`);
    expect(page).toContain("Unlink wallet");

    const unlinked = await client.postForm("/wallet/link", { intent: "unlink" });
    expect(unlinked.status).toBe(302);
    expect(unlinked.headers.get("location")).toBe("/wallet");
    const after = await readHtml(await client.get("/wallet"));
    expect(after).toContain("No wallet linked yet.");
    expect(after).toContain("Earlier addresses (1)");
    expect(after).toContain(account.address);
  });

  it("answers a replay, another account's address and a stranger's signature with clear JSON errors", async () => {
    const { client } = await signedInClient(server);
    const account = testAccount(`web-errors-${backend}`);
    const signed = await signFor(client, "/wallet/link", account, server);
    expect((await client.postForm("/wallet/link", { intent: "link", ...signed })).status).toBe(200);

    const replay = await client.postForm("/wallet/link", { intent: "link", ...signed });
    expect(replay.status).toBe(400);
    expect(await replay.json()).toEqual({
      ok: false,
      error: { code: "nonce_used", message: "This message was already used — request a new one." },
    });

    const { client: other } = await signedInClient(server);
    const taken = await other.postForm("/wallet/link", {
      intent: "link",
      ...(await signFor(other, "/wallet/link", account, server)),
    });
    expect(taken.status).toBe(409);
    expect(await taken.json()).toEqual({
      ok: false,
      error: {
        code: "address_taken",
        message: "That address is already linked to another Tributary account.",
      },
    });

    const forged = await signFor(
      other,
      "/wallet/link",
      testAccount(`web-other-${backend}`),
      server,
    );
    const mismatch = await other.postForm("/wallet/link", {
      intent: "link",
      message: forged.message,
      signature: signed.signature,
    });
    expect(mismatch.status).toBe(400);
    expect(((await mismatch.json()) as { error: { code: string } }).error.code).toBe(
      "signature_mismatch",
    );
    expect(await readHtml(await other.get("/wallet"))).toContain("No wallet linked yet.");
  });

  it("sends a visitor without a session to sign in, and refuses posts from other sites", async () => {
    const anonymous = new TestClient(server.url);
    const response = await anonymous.postForm("/wallet/link", { intent: "nonce" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/signin\?redirectTo=/);

    const { client } = await signedInClient(server);
    const crossSite = new TestClient(server.url, "https://tributary.evil");
    crossSite.setSessionCookie(client.sessionCookie);
    expect((await crossSite.postForm("/wallet/link", { intent: "unlink" })).status).toBe(403);
  });

  it("signs in with Ethereum on /signin/ethereum and lands signed in; an unlinked address is refused", async () => {
    const { client, user } = await signedInClient(server);
    const account = testAccount(`web-sign-in-${backend}`);
    await client.postForm("/wallet/link", {
      intent: "link",
      ...(await signFor(client, "/wallet/link", account, server)),
    });

    const browser = new TestClient(server.url);
    const signed = await signFor(browser, "/signin/ethereum", account, server);
    const response = await browser.postForm("/signin/ethereum", {
      intent: "sign-in",
      ...signed,
      redirectTo: "/wallet",
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, redirectTo: "/wallet" });
    expect(browser.sessionCookie).toMatch(/^tributary_session=/);
    const wallet = await readHtml(await browser.get("/wallet"));
    expect(wallet).toContain(`@${user.handle}`);
    expect(wallet).toContain(`>${account.address}</code>`);

    const stranger = new TestClient(server.url);
    const refused = await stranger.postForm("/signin/ethereum", {
      intent: "sign-in",
      ...(await signFor(stranger, "/signin/ethereum", testAccount("web-stranger"), server)),
      redirectTo: "//evil.example",
    });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe(
      "No Tributary account is linked to that address. Sign in with your email, then link it from your wallet page.",
    );
    expect(stranger.sessionCookie).toBeNull();
  });

  it("never redirects a wallet sign-in off the site", async () => {
    const { client } = await signedInClient(server);
    const account = testAccount(`web-redirect-${backend}`);
    await client.postForm("/wallet/link", {
      intent: "link",
      ...(await signFor(client, "/wallet/link", account, server)),
    });
    const browser = new TestClient(server.url);
    const response = await browser.postForm("/signin/ethereum", {
      intent: "sign-in",
      ...(await signFor(browser, "/signin/ethereum", account, server)),
      redirectTo: "//evil.example/path",
    });
    expect(await response.json()).toEqual({ ok: true, redirectTo: "/" });
  });
});
