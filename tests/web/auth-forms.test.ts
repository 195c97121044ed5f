import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newAccountInput } from "#tests/support/factories.ts";
import { readHtml, TestClient } from "#tests/support/http-client.ts";
import { signUpAndSignInByForm } from "#tests/support/sign-up-flows.ts";
import { testBackends } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

function signUpForm(input: ReturnType<typeof newAccountInput>) {
  return {
    email: input.email,
    handle: input.handle,
    displayName: input.displayName,
    password: input.password,
  };
}

/** A new person signed up through the form and then signed in through the sign-in form. */
async function signedUp(server: TestServer) {
  const client = new TestClient(server.url);
  const input = newAccountInput();
  await signUpAndSignInByForm(client, input);
  return { client, input };
}

describe.each(testBackends())("web forms on %s", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  it("healthz reports the database", async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", database: "ok" });
  });

  it("signing up through the form asks to check the inbox and opens no session; signing in then lands home", async () => {
    const client = new TestClient(server.url);
    const input = newAccountInput();
    const response = await client.postForm("/signup", signUpForm(input));
    expect(response.status).toBe(200);
    const page = await readHtml(response);
    expect(page).toContain(
      `Check your inbox at <strong class="break-all">${input.email}</strong>: open the link we sent to finish signing up (or sign in with your password).`,
    );
    expect(page).not.toContain(input.password);
    expect(client.sessionCookie).toBeNull();
    expect(await readHtml(await client.get("/"))).not.toContain(`@${input.handle}`);

    const signedIn = await client.postForm("/signin", {
      email: input.email,
      password: input.password,
    });
    expect(signedIn.status).toBe(302);
    const html = await readHtml(await client.get("/"));
    expect(html).toContain(`@${input.handle}`);
    expect(html).toContain(`Welcome, ${input.displayName}`);
  });

  it("a sign-up with errors says what is wrong and keeps what was typed, except the password", async () => {
    const { input: taken } = await signedUp(server);
    const client = new TestClient(server.url);
    const attempt = {
      ...newAccountInput(),
      handle: taken.handle,
      email: "fresh@example.com",
      displayName: "Keep Me",
    };
    const response = await client.postForm("/signup", signUpForm(attempt));
    expect(response.status).toBe(200);
    const html = await readHtml(response);
    expect(html).toContain("That handle is taken; try another.");
    expect(html).toContain('value="fresh@example.com"');
    expect(html).toContain('value="Keep Me"');
    expect(html).not.toContain(attempt.password);
    expect(client.sessionCookie).toBeNull();
  });

  it("sign in with the wrong password shows one clear message; with the right one lands signed in", async () => {
    const { input } = await signedUp(server);
    const client = new TestClient(server.url);
    const wrong = await client.postForm("/signin", {
      email: input.email,
      password: "not my password",
    });
    expect(await readHtml(wrong)).toContain("Email or password is incorrect.");
    const right = await client.postForm("/signin", {
      email: input.email,
      password: input.password,
      redirectTo: "/settings",
    });
    expect(right.status).toBe(302);
    expect(right.headers.get("location")).toBe("/settings");
    expect(await readHtml(await client.get("/settings"))).toContain(
      `Your handle is @${input.handle}.`,
    );
  });

  it("sign-in never redirects to another site", async () => {
    const { input } = await signedUp(server);
    const client = new TestClient(server.url);
    const response = await client.postForm("/signin", {
      email: input.email,
      password: input.password,
      redirectTo: "//evil.example/",
    });
    expect(response.headers.get("location")).toBe("/");
  });

  it("signing out ends the session and the old cookie stops working", async () => {
    const { client } = await signedUp(server);
    const cookie = client.sessionCookie;
    const response = await client.postForm("/signout", {});
    expect(response.status).toBe(302);
    expect(client.sessionCookie).toBeNull();
    const replay = new TestClient(server.url);
    replay.setSessionCookie(cookie);
    const settings = await replay.get("/settings");
    expect(settings.status).toBe(302);
    expect(settings.headers.get("location")).toBe("/signin?redirectTo=%2Fsettings");
  });

  it("changing the display name saves it; an empty one is refused and nothing changes", async () => {
    const { client, input } = await signedUp(server);
    const empty = await client.postForm("/settings", { intent: "update-profile", displayName: "" });
    expect(await readHtml(empty)).toContain("Enter a display name.");
    expect(await readHtml(await client.get("/"))).toContain(`Welcome, ${input.displayName}`);
    const saved = await client.postForm("/settings", {
      intent: "update-profile",
      displayName: "Grace B. Hopper",
    });
    expect(await readHtml(saved)).toContain("Saved.");
    expect(await readHtml(await client.get("/"))).toContain("Welcome, Grace B. Hopper");
  });

  it("a form post from another site is refused with 403 and writes nothing", async () => {
    const { client, input } = await signedUp(server);
    const evil = new TestClient(server.url, "https://evil.example");
    evil.setSessionCookie(client.sessionCookie);
    const response = await evil.postForm("/settings", {
      intent: "update-profile",
      displayName: "pwned",
    });
    expect(response.status).toBe(403);
    expect(await readHtml(await client.get("/"))).toContain(`Welcome, ${input.displayName}`);
  });

  it("a cross-site sign-in form is refused (no login CSRF)", async () => {
    const { input } = await signedUp(server);
    const evil = new TestClient(server.url, "https://evil.example");
    const response = await evil.postForm("/signin", {
      email: input.email,
      password: input.password,
    });
    expect(response.status).toBe(403);
    expect(evil.sessionCookie).toBeNull();
  });

  it("protected pages send anonymous visitors to sign in", async () => {
    const response = await new TestClient(server.url).get("/settings");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/signin\?redirectTo=/);
  });

  it("script typed into a display name is shown as text, never run", async () => {
    const { client } = await signedUp(server);
    await client.postForm("/settings", {
      intent: "update-profile",
      displayName: "<script>alert(1)</script>",
    });
    const html = await readHtml(await client.get("/"));
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("an unknown page is a friendly 404 without internals", async () => {
    const response = await fetch(`${server.url}/no/such/page`);
    expect(response.status).toBe(404);
    const html = await readHtml(response);
    expect(html).toContain("We could not find that page");
    expect(html).not.toMatch(/node_modules|at \w+ \(/);
  });
});
