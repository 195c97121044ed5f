import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, newAccountInput } from "#tests/support/factories.ts";
import { readHtml, TestClient } from "#tests/support/http-client.ts";
import { signUpAndSignInByForm } from "#tests/support/sign-up-flows.ts";
import { linkIn, startSmtpInbox, type SmtpInbox } from "#tests/support/smtp-inbox.ts";
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

/** The path and query of a link from a mail, to request from the test server. */
const pathOf = (url: URL) => `${url.pathname}${url.search}`;

/** The policy a browser applies: the last one it recognises (helmet sends a default first). */
const referrerPolicyOf = (response: Response) =>
  response.headers.get("referrer-policy")?.split(",").pop()?.trim();

describe.each(testBackends())("account safety forms on %s", (backend) => {
  let server: TestServer;
  let inbox: SmtpInbox;
  beforeAll(async () => {
    inbox = await startSmtpInbox();
    server = await startTestServer(backend, {
      SMTP_URL: inbox.url,
      SIGN_UP_MAX_PER_DEVICE_PER_DAY: "2",
    });
  });
  afterAll(async () => {
    await server.close();
    await inbox.close();
  });

  it("the sign-up form mails a link to this site; confirming it once verifies the address and signs the browser in", async () => {
    const client = new TestClient(server.url);
    const input = newAccountInput();
    const started = await client.postForm("/signup", signUpForm(input));
    expect(await readHtml(started)).toContain(`Check your inbox at`);
    expect(client.sessionCookie).toBeNull();

    const link = linkIn(await inbox.nextMessageTo(input.email), "/verify-email");
    // Without PUBLIC_URL the link points where the request came to.
    expect(link.origin).toBe(server.url);
    const page = await client.get(pathOf(link));
    expect(referrerPolicyOf(page)).toBe("same-origin");
    expect(await readHtml(page)).toContain("Confirm my email");
    // Opening the page (as a mail scanner does) neither verifies nor signs in.
    expect(client.sessionCookie).toBeNull();

    const token = link.searchParams.get("token")!;
    const confirmed = await client.postForm(pathOf(link), { token });
    expect(await readHtml(confirmed)).toContain(
      `Thank you: ${input.email} is confirmed. You are signed in as @${input.handle}.`,
    );
    expect(client.sessionCookie).not.toBeNull();
    expect(await readHtml(await client.get("/settings"))).toMatch(
      /·\s*(<!-- -->)?\s*<span[^>]*>verified</,
    );

    const again = await new TestClient(server.url).postForm(pathOf(link), { token });
    expect(await readHtml(again)).toContain("This verification link has already been used.");
    const forged = await new TestClient(server.url).postForm("/verify-email", {
      token: "made-up",
    });
    expect(await readHtml(forged)).toContain("This verification link is not valid.");
  });

  it("a verification link followed in a browser signed in as someone else verifies but does not switch accounts", async () => {
    const input = newAccountInput();
    await new TestClient(server.url).postForm("/signup", signUpForm(input));
    const token = linkIn(await inbox.nextMessageTo(input.email), "/verify-email").searchParams.get(
      "token",
    )!;
    const other = await createUser(server.db);
    const browser = new TestClient(server.url);
    browser.setSessionCookie(`tributary_session=${other.token}`);
    const confirmed = await browser.postForm("/verify-email", { token });
    const html = await readHtml(confirmed);
    expect(html).toContain(`Thank you: ${input.email} is confirmed.`);
    expect(html).not.toContain("You are signed in");
    expect(browser.sessionCookie).toBe(`tributary_session=${other.token}`);
    expect(await readHtml(await browser.get("/settings"))).toContain(
      `Your handle is @${other.user.handle}.`,
    );
  });

  it("settings sends the verification link again", async () => {
    const client = new TestClient(server.url);
    const input = newAccountInput();
    await signUpAndSignInByForm(client, input);
    await inbox.nextMessageTo(input.email);
    const resent = await client.postForm("/settings", { intent: "resend-verification" });
    expect(await readHtml(resent)).toContain(`We sent a new link to ${input.email}.`);
    expect((await inbox.nextMessageTo(input.email)).subject).toBe(
      "Confirm your email for Tributary",
    );
  });

  it("forgot password → mail → new password signs out every device and lets the new one in", async () => {
    const owner = await createUser(server.db);
    const device = new TestClient(server.url);
    await device.postForm("/signin", { email: owner.user.email, password: owner.password });
    expect(device.sessionCookie).not.toBeNull();

    const signInPage = await readHtml(await new TestClient(server.url).get("/signin"));
    expect(signInPage).toContain('href="/forgot-password"');
    const visitor = new TestClient(server.url);
    const asked = await visitor.postForm("/forgot-password", { email: owner.user.email });
    const answer = "If an account uses that address, we have sent it a link to reset the password.";
    expect(await readHtml(asked)).toContain(answer);
    const unknown = await visitor.postForm("/forgot-password", { email: "nobody@example.org" });
    expect(await readHtml(unknown)).toContain(answer);

    const link = linkIn(await inbox.nextMessageTo(owner.user.email), "/reset-password");
    const page = await visitor.get(pathOf(link));
    expect(referrerPolicyOf(page)).toBe("no-referrer");
    const token = link.searchParams.get("token")!;
    const weak = await visitor.postForm(pathOf(link), { token, newPassword: "password123" });
    expect(await readHtml(weak)).toContain("This password is too common; choose another.");

    const done = await visitor.postForm(pathOf(link), {
      token,
      newPassword: "a brand new passphrase",
    });
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe("/signin?reset=done");
    const settings = await device.get("/settings");
    expect(settings.status).toBe(302);

    const reused = await visitor.postForm(pathOf(link), {
      token,
      newPassword: "another fine passphrase",
    });
    expect(await readHtml(reused)).toContain("This reset link has already been used.");
    const signIn = await new TestClient(server.url).postForm("/signin", {
      email: owner.user.email,
      password: "a brand new passphrase",
    });
    expect(signIn.status).toBe(302);
  });

  it("one browser may sign up twice a day; the third is refused with a message and 429", async () => {
    const browser = new TestClient(server.url);
    const form = await browser.get("/signup");
    const setCookie = form.headers.getSetCookie().join("\n");
    expect(setCookie).toMatch(/tributary_device=[a-z2-9]{24}; Max-Age=\d+; Path=\/; HttpOnly/);
    for (let i = 0; i < 2; i++) {
      const started = await browser.postForm("/signup", signUpForm(newAccountInput()));
      expect(started.status).toBe(200);
      expect(await readHtml(started)).toContain("Check your inbox at");
    }
    const input = newAccountInput();
    const refused = await browser.postForm("/signup", signUpForm(input));
    expect(refused.status).toBe(429);
    expect(await readHtml(refused)).toContain("This browser has already signed up 2 times today.");
    const row = await server.db
      .selectFrom("users")
      .select("id")
      .where("email", "=", input.email)
      .executeTakeFirst();
    expect(row).toBeUndefined();
    // Another browser on the same address is not affected.
    const other = await new TestClient(server.url).postForm(
      "/signup",
      signUpForm(newAccountInput()),
    );
    expect(other.status).toBe(200);
    expect(await readHtml(other)).toContain("Check your inbox at");
  });

  it("sign-in failures past the limit are refused with 429 and a Retry-After saying how long to wait", async () => {
    const { user } = await createUser(server.db);
    const browser = new TestClient(server.url);
    let answer: Response | undefined;
    for (let i = 0; i < 8 && answer?.status !== 429; i++) {
      answer = await browser.postForm("/signin", {
        email: user.email,
        password: "not the password",
      });
      await answer.arrayBuffer();
    }
    expect(answer!.status).toBe(429);
    expect(Number(answer!.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("a disposable address is refused on the form, keeping what was typed", async () => {
    const client = new TestClient(server.url);
    const input = newAccountInput({ email: "someone@mailinator.com", displayName: "Keep Me" });
    const response = await client.postForm("/signup", signUpForm(input));
    expect(response.status).toBe(200);
    const html = await readHtml(response);
    expect(html).toContain("Addresses from disposable email services can&#x27;t be used.");
    expect(html).toContain('value="Keep Me"');
  });
});
