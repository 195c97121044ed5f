import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPost } from "#core/social/posts.ts";
import { testAccount } from "#tests/support/ethereum-provider.ts";
import { createUser } from "#tests/support/factories.ts";
import { readHtml, TestClient } from "#tests/support/http-client.ts";
import { signFor } from "#tests/support/siwe-form-signing.ts";
import { testBackends } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

// A NUL anywhere in an address is refused before any page sees it (server/malformed-request.ts).
const inAddress = (target: string) => !target.includes("\u0000");

// Each of these, followed naively, would take a browser to evil.example or run script; the
// CR and LF ones used to make the redirect itself throw (500).
const hostileTargets = [
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r/evil.example",
  "/\r\n/evil.example",
  "/x\r\nSet-Cookie: injected=1",
  "//evil.example",
  "/\\evil.example",
  "\\/evil.example",
  " //evil.example",
  "\u0000//evil.example",
  "/..//evil.example",
  "/%2e%2e//evil.example",
  "https:evil.example",
  "https://evil.example/",
  "javascript:alert(document.cookie)",
  "\uff0f\uff0fevil.example",
  `/${"a".repeat(10_000)}`,
];

/** A Location header must lead a browser on our site to a page of our site. */
function expectSameOrigin(response: Response, server: TestServer) {
  const location = response.headers.get("location");
  expect(location).not.toBeNull();
  expect(location!.startsWith("/")).toBe(true);
  expect(new URL(location!, `${server.url}/signin`).origin).toBe(server.url);
  expect(response.headers.getSetCookie().some((c) => c.startsWith("injected"))).toBe(false);
}

async function signedIn(server: TestServer) {
  const { user, password } = await createUser(server.db);
  const client = new TestClient(server.url);
  const response = await client.postForm("/signin", { email: user.email, password });
  if (response.status !== 302) throw new Error(`sign-in failed: ${response.status}`);
  return { client, user, password };
}

describe.each(testBackends())("redirects stay on the site on %s", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  it.each(hostileTargets.filter(inAddress))(
    "/signin?redirectTo=%j while signed in stays on the site",
    async (target) => {
      const { client } = await signedIn(server);
      const response = await client.get(`/signin?${new URLSearchParams({ redirectTo: target })}`);
      expect(response.status).toBe(302);
      expectSameOrigin(response, server);
    },
  );

  it.each(hostileTargets)(
    "signing in through the form with redirectTo=%j stays on the site",
    async (target) => {
      const { user, password } = await createUser(server.db);
      const client = new TestClient(server.url);
      const response = await client.postForm("/signin", {
        email: user.email,
        password,
        redirectTo: target,
      });
      expect(response.status).toBe(302);
      expectSameOrigin(response, server);
      expect(client.sessionCookie).toMatch(/^tributary_session=/);
    },
  );

  it("the sign-in page renders for a signed-out visitor whatever redirectTo holds", async () => {
    const client = new TestClient(server.url);
    for (const target of hostileTargets.filter(inAddress)) {
      const response = await client.get(`/signin?${new URLSearchParams({ redirectTo: target })}`);
      expect(response.status).toBe(200);
      expect(await readHtml(response)).toContain("Sign in");
    }
  });

  it("a redirectTo with a NUL in the address is refused with a 400 that says why", async () => {
    const response = await new TestClient(server.url).get(
      "/signin?redirectTo=%00%2F%2Fevil.example",
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("NUL");
  });

  it("the issue's own link lands on the home page after a form sign-in", async () => {
    const { user, password } = await createUser(server.db);
    const client = new TestClient(server.url);
    const page = await client.get("/signin?redirectTo=%2F%09%2Fevil.example");
    expect(page.status).toBe(200);
    const response = await client.postForm("/signin", {
      email: user.email,
      password,
      redirectTo: "/\t/evil.example",
    });
    expect(response.headers.get("location")).toBe("/");
  });

  it("like, repost, follow, mute and delete forms go back only to pages of this site", async () => {
    const { client, user } = await signedIn(server);
    const { user: author } = await createUser(server.db);
    for (const target of hostileTargets) {
      const posted = await createPost(server.services, author.id, { body: "A post to act on" });
      if (!posted.ok) throw new Error(posted.error.message);
      const postId = posted.value.post.id;
      const own = await createPost(server.services, user.id, { body: "Mine to delete" });
      if (!own.ok) throw new Error(own.error.message);
      const forms: [string, Record<string, string>][] = [
        [`/posts/${postId}/like`, { intent: "like" }],
        [`/posts/${postId}/like`, { intent: "unlike" }],
        [`/posts/${postId}/repost`, {}],
        [`/u/${author.handle}/follow`, { intent: "follow" }],
        [`/u/${author.handle}/mute`, { intent: "mute" }],
        [`/u/${author.handle}/mute`, { intent: "unmute" }],
        [`/p/${own.value.post.id}`, { intent: "delete-post" }],
      ];
      for (const [path, fields] of forms) {
        const response = await client.postForm(path, { ...fields, redirectTo: target });
        expect(response.status, `${path} ${JSON.stringify(target)}`).toBe(303);
        expectSameOrigin(response, server);
      }
    }
  });

  it("a form without redirectTo goes back to its Referer only when that is a page of this site", async () => {
    const { client } = await signedIn(server);
    const { user: author } = await createUser(server.db);
    const like = (referer: string) =>
      client.request(`/u/${author.handle}/follow`, {
        method: "POST",
        headers: { referer },
        body: new URLSearchParams({ intent: "follow", redirectTo: "" }),
      });
    const home = await like(`${server.url}/tags/cats?x=1`);
    expect(home.headers.get("location")).toBe("/tags/cats?x=1");
    for (const referer of [
      "https://evil.example/",
      `${server.url}//evil.example`,
      `${server.url}/\t/evil.example`,
      `${server.url}/..//evil.example`,
      `${server.url.replace("http:", "https:")}/settings`,
    ]) {
      const response = await like(referer);
      expect(response.status).toBe(303);
      expectSameOrigin(response, server);
      expect(response.headers.get("location")).not.toContain("evil.example");
    }
  });

  it("a signed-out form is sent to sign in with a same-site redirectTo, which sign-in honours", async () => {
    const { user: author, password } = await createUser(server.db);
    const client = new TestClient(server.url);
    const response = await client.postForm(`/u/${author.handle}/follow`, {
      intent: "follow",
      redirectTo: "/\t/evil.example",
    });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get("location")!, server.url);
    expect(location.pathname).toBe("/signin");
    expect(location.searchParams.get("redirectTo")).toBe("/");
    const signIn = await client.postForm("/signin", {
      email: author.email,
      password,
      redirectTo: location.searchParams.get("redirectTo")!,
    });
    expect(signIn.headers.get("location")).toBe("/");
  });

  it("a wallet sign-in answers only a same-site redirectTo for the page's script to follow", async () => {
    const { client } = await signedIn(server);
    const account = testAccount(`open-redirect-${backend}`);
    await client.postForm("/wallet/link", {
      intent: "link",
      ...(await signFor(client, "/wallet/link", account, server)),
    });
    for (const target of [
      "/\t/evil.example",
      "/\\evil.example",
      "/x\r\ny",
      "javascript:alert(1)",
    ]) {
      const browser = new TestClient(server.url);
      const response = await browser.postForm("/signin/ethereum", {
        intent: "sign-in",
        ...(await signFor(browser, "/signin/ethereum", account, server)),
        redirectTo: target,
      });
      expect(response.status).toBe(200);
      const { redirectTo } = (await response.json()) as { redirectTo: string };
      expect(new URL(redirectTo, `${server.url}/signin`).origin).toBe(server.url);
      expect(redirectTo.startsWith("/") && !redirectTo.startsWith("//")).toBe(true);
    }
  });
});
