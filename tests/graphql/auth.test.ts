import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, newAccountInput } from "#tests/support/factories.ts";
import { TestClient } from "#tests/support/http-client.ts";
import { linkIn, startSmtpInbox, type SmtpInbox } from "#tests/support/smtp-inbox.ts";
import { testBackends } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

const SIGN_UP = /* GraphQL */ `
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      __typename
      ... on SignUpStarted {
        email
      }
      ... on ValidationError {
        message
        fieldErrors {
          field
          messages
        }
      }
    }
  }
`;

const SIGN_IN = /* GraphQL */ `
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) {
      __typename
      ... on AuthPayload {
        user {
          handle
        }
      }
      ... on Error {
        message
      }
      ... on RateLimitedError {
        retryAfterSeconds
      }
    }
  }
`;

const VIEWER = /* GraphQL */ `
  {
    viewer {
      id
      handle
      displayName
      email
    }
  }
`;

type Viewer = { id: string; handle: string; displayName: string; email: string | null };

const SIGN_IN_AS = /* GraphQL */ `
  mutation SignInAs($input: SignInInput!) {
    signIn(input: $input) {
      __typename
      ... on AuthPayload {
        sessionExpiresAt
        user {
          id
          handle
          displayName
          email
        }
      }
    }
  }
`;

/** Signs a new person up, then in with the password (sign-up opens no session). */
async function signedUpClient(server: TestServer) {
  const client = new TestClient(server.url);
  const input = newAccountInput();
  const started = await client.graphql<{ signUp: { __typename: string } }>(SIGN_UP, { input });
  if (started.body.data?.signUp.__typename !== "SignUpStarted") {
    throw new Error(JSON.stringify(started.body));
  }
  const { body } = await client.graphql<{ signIn: { __typename: string; user: Viewer } }>(
    SIGN_IN_AS,
    { input: { email: input.email, password: input.password } },
  );
  if (body.data?.signIn.__typename !== "AuthPayload") throw new Error(JSON.stringify(body));
  return { client, input, user: body.data.signIn.user };
}

describe.each(testBackends())("GraphQL auth on %s", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend, { SIGN_IN_MAX_ATTEMPTS_PER_ACCOUNT: "3" });
  });
  afterAll(() => server.close());

  it("signUp opens no session; signIn then sets an HttpOnly SameSite=Lax cookie and viewer answers with the new user", async () => {
    const client = new TestClient(server.url);
    const input = newAccountInput();
    const started = await client.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: SIGN_UP, variables: { input } }),
    });
    expect(started.headers.getSetCookie()).toEqual([]);
    expect((await started.json()).data.signUp).toEqual({
      __typename: "SignUpStarted",
      email: input.email,
    });
    expect((await client.graphql(VIEWER)).body.data).toEqual({ viewer: null });

    const response = await client.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: SIGN_IN_AS,
        variables: { input: { email: input.email, password: input.password } },
      }),
    });
    const setCookie = response.headers.getSetCookie().join("\n");
    expect(setCookie).toMatch(/tributary_session=[a-z2-9]{24}\.[a-z2-9]{24}/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const signedIn = (await response.json()).data.signIn;
    expect(signedIn.user.handle).toBe(input.handle);
    expect(JSON.stringify(signedIn)).not.toContain(client.sessionCookie?.split("=")[1]);

    const { body } = await client.graphql<{ viewer: Viewer }>(VIEWER);
    expect(body.data?.viewer).toEqual({
      id: signedIn.user.id,
      handle: input.handle,
      displayName: input.displayName,
      email: input.email,
    });
  });

  it("viewer is null without a session, and with a forged cookie (which is cleared)", async () => {
    const anonymous = new TestClient(server.url);
    expect((await anonymous.graphql(VIEWER)).body.data).toEqual({ viewer: null });
    const forged = new TestClient(server.url);
    forged.setSessionCookie(`tributary_session=${"a".repeat(24)}.${"b".repeat(24)}`);
    const response = await forged.request("/graphql?query=" + encodeURIComponent(VIEWER));
    expect(await response.json()).toEqual({ data: { viewer: null } });
    expect(response.headers.getSetCookie().join()).toMatch(/tributary_session=;.*Max-Age=0/i);
  });

  it("signUp returns a typed ValidationError for a taken handle and a weak password", async () => {
    const { input } = await signedUpClient(server);
    const client = new TestClient(server.url);
    const { body } = await client.graphql<{
      signUp: { __typename: string; fieldErrors: { field: string; messages: string[] }[] };
    }>(SIGN_UP, { input: { ...newAccountInput(), handle: input.handle, password: "short" } });
    expect(body.data?.signUp.__typename).toBe("ValidationError");
    expect(body.data?.signUp.fieldErrors).toEqual([
      { field: "password", messages: ["Use at least 10 characters."] },
    ]);
    const second = await client.graphql<{
      signUp: { fieldErrors: { field: string; messages: string[] }[] };
    }>(SIGN_UP, {
      input: { ...newAccountInput(), handle: input.handle },
    });
    expect(second.body.data?.signUp.fieldErrors).toEqual([
      { field: "handle", messages: ["That handle is taken; try another."] },
    ]);
    expect(client.sessionCookie).toBeNull();
  });

  it("signIn, signOut and signIn again; a signed-out cookie no longer works", async () => {
    const { client, input } = await signedUpClient(server);
    const oldCookie = client.sessionCookie;
    const out = await client.graphql<{ signOut: { endedSessions: number } }>(
      `mutation { signOut { endedSessions } }`,
    );
    expect(out.body.data?.signOut.endedSessions).toBe(1);
    expect(client.sessionCookie).toBeNull();
    const replay = new TestClient(server.url);
    replay.setSessionCookie(oldCookie);
    expect((await replay.graphql(VIEWER)).body.data).toEqual({ viewer: null });

    const { body } = await client.graphql<{
      signIn: { __typename: string; user: { handle: string } };
    }>(SIGN_IN, {
      input: { email: input.email, password: input.password },
    });
    expect(body.data?.signIn).toEqual({
      __typename: "AuthPayload",
      user: { handle: input.handle },
    });
    expect((await client.graphql<{ viewer: Viewer }>(VIEWER)).body.data?.viewer.handle).toBe(
      input.handle,
    );
  });

  it("signIn with a wrong password is an InvalidCredentialsError, then RateLimitedError with a short growing wait", async () => {
    const { input } = await signedUpClient(server);
    const client = new TestClient(server.url);
    const attempt = () =>
      client.graphql<{
        signIn: { __typename: string; message: string; retryAfterSeconds?: number };
      }>(SIGN_IN, {
        input: { email: input.email, password: "definitely wrong" },
      });
    for (let i = 0; i < 3; i++) {
      expect((await attempt()).body.data?.signIn).toEqual({
        __typename: "InvalidCredentialsError",
        message: "Email or password is incorrect.",
      });
    }
    // The waits are 1 s, 2 s, 4 s… after each failure; a slow machine may outlast the first.
    let limited: { __typename: string; message: string; retryAfterSeconds?: number } | undefined;
    for (let i = 0; i < 8 && limited?.__typename !== "RateLimitedError"; i++) {
      limited = (await attempt()).body.data?.signIn;
    }
    expect(limited?.__typename).toBe("RateLimitedError");
    expect(limited?.message).toMatch(
      /^Too many wrong passwords for this account\. Wait \d+ seconds?/,
    );
    expect(limited?.retryAfterSeconds).toBeGreaterThan(0);
    expect(limited?.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it("updateProfile changes the display name, refuses a bad one, and needs a session", async () => {
    const { client } = await signedUpClient(server);
    const UPDATE = `mutation ($name: String!) { updateProfile(input: { displayName: $name }) {
      __typename ... on UpdateProfilePayload { user { displayName } } ... on Error { message } } }`;
    const ok = await client.graphql<{ updateProfile: { user: { displayName: string } } }>(UPDATE, {
      name: "  Ada   King ",
    });
    expect(ok.body.data?.updateProfile.user.displayName).toBe("Ada King");
    const bad = await client.graphql<{ updateProfile: { __typename: string; message: string } }>(
      UPDATE,
      { name: "   " },
    );
    expect(bad.body.data?.updateProfile).toEqual({
      __typename: "ValidationError",
      message: "Enter a display name.",
    });
    expect((await client.graphql<{ viewer: Viewer }>(VIEWER)).body.data?.viewer.displayName).toBe(
      "Ada King",
    );
    const anonymous = await new TestClient(server.url).graphql<{
      updateProfile: { __typename: string };
    }>(UPDATE, { name: "Mallory" });
    expect(anonymous.body.data?.updateProfile.__typename).toBe("NotSignedInError");
  });

  it("another user's email and sessions are not visible", async () => {
    const alice = await signedUpClient(server);
    const bob = await signedUpClient(server);
    const { body } = await bob.client.graphql<{ node: { handle: string; email: string | null } }>(
      `query ($id: ID!) { node(id: $id) { ... on User { handle email } } }`,
      { id: alice.user.id },
    );
    expect(body.data?.node).toEqual({ handle: alice.input.handle, email: null });
    const sessions = await bob.client.graphql(
      `query ($id: ID!) { node(id: $id) { ... on User { sessions(first: 5) { edges { node { createdAt } } } } } }`,
      { id: alice.user.id },
    );
    expect(sessions.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("viewer.sessions pages through the user's sessions and marks the current one", async () => {
    const { client, input } = await signedUpClient(server);
    const other = new TestClient(server.url);
    await other.graphql(SIGN_IN, { input: { email: input.email, password: input.password } });
    const QUERY = `query ($after: String) { viewer { sessions(first: 1, after: $after) {
      edges { node { isCurrent } } pageInfo { hasNextPage endCursor } } } }`;
    type Page = {
      viewer: {
        sessions: {
          edges: { node: { isCurrent: boolean } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      };
    };
    const first = (await client.graphql<Page>(QUERY)).body.data!.viewer.sessions;
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await client.graphql<Page>(QUERY, { after: first.pageInfo.endCursor })).body
      .data!.viewer.sessions;
    expect(second.pageInfo.hasNextPage).toBe(false);
    const flags = [...first.edges, ...second.edges].map((edge) => edge.node.isCurrent).sort();
    expect(flags).toEqual([false, true]);
  });

  it("signOutEverywhere ends every session of the user", async () => {
    const { client, input } = await signedUpClient(server);
    const laptop = new TestClient(server.url);
    await laptop.graphql(SIGN_IN, { input: { email: input.email, password: input.password } });
    const { body } = await client.graphql<{ signOutEverywhere: { endedSessions: number } }>(
      `mutation { signOutEverywhere { ... on SignOutPayload { endedSessions } } }`,
    );
    expect(body.data?.signOutEverywhere.endedSessions).toBe(2);
    expect((await laptop.graphql(VIEWER)).body.data).toEqual({ viewer: null });
  });

  it("refuses a mutation from another origin with 403 and changes nothing", async () => {
    const { client, input } = await signedUpClient(server);
    const evil = new TestClient(server.url, "https://evil.example");
    evil.setSessionCookie(client.sessionCookie);
    const response = await evil.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: `mutation { updateProfile(input: { displayName: "pwned" }) { __typename } }`,
      }),
    });
    expect(response.status).toBe(403);
    const viewer = (await client.graphql<{ viewer: Viewer }>(VIEWER)).body.data?.viewer;
    expect(viewer?.displayName).toBe(input.displayName);
  });

  it("wrong argument types get a validation error without internals", async () => {
    const client = new TestClient(server.url);
    const { body } = await client.graphql(
      `mutation { signIn(input: { email: 42, password: true }) { __typename } }`,
    );
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.message).toMatch(/String cannot represent a non string value/);
    expect(JSON.stringify(body)).not.toMatch(/at \w+ \(|node_modules|\.ts:\d+/);
  });

  it("an oversize request body is refused with 413", async () => {
    const client = new TestClient(server.url);
    const response = await client.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: VIEWER, variables: { pad: "x".repeat(1024 * 1024 + 1) } }),
    });
    expect(response.status).toBe(413);
  });

  it("in production, tells a signed-out browser asking for HTML that GraphiQL is for admins", async () => {
    // Admins get GraphiQL itself: tests/graphql/introspection.test.ts.
    const response = await fetch(`${server.url}/graphql`, { headers: { accept: "text/html" } });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("GraphiQL is for admins");
  });
});

const VERIFY_EMAIL = /* GraphQL */ `
  mutation ($token: String!) {
    verifyEmail(token: $token) {
      __typename
      ... on VerifyEmailPayload {
        isSignedIn
        user {
          emailVerified
        }
      }
      ... on InvalidLinkError {
        message
        problem
      }
    }
  }
`;

const REQUEST_RESET = /* GraphQL */ `
  mutation ($email: String!) {
    requestPasswordReset(email: $email) {
      __typename
      ... on RequestPasswordResetPayload {
        message
      }
    }
  }
`;

const RESET_PASSWORD = /* GraphQL */ `
  mutation ($token: String!, $newPassword: String!) {
    resetPassword(token: $token, newPassword: $newPassword) {
      __typename
      ... on ResetPasswordPayload {
        signedOutSessions
      }
      ... on Error {
        message
      }
      ... on InvalidLinkError {
        problem
      }
    }
  }
`;

const SIGN_UP_RESULT = /* GraphQL */ `
  mutation ($input: SignUpInput!) {
    signUp(input: $input) {
      __typename
      ... on Error {
        message
      }
      ... on RateLimitedError {
        retryAfterSeconds
      }
    }
  }
`;

describe.each(testBackends())("GraphQL account safety on %s", (backend) => {
  let server: TestServer;
  let inbox: SmtpInbox;
  beforeAll(async () => {
    inbox = await startSmtpInbox();
    server = await startTestServer(backend, {
      SMTP_URL: inbox.url,
      PUBLIC_URL: "https://tributary.test",
      SIGN_UP_MAX_PER_IP_PER_HOUR: "5",
    });
  });
  afterAll(async () => {
    await server.close();
    await inbox.close();
  });

  it("signUp mails a verification link that verifyEmail spends once; viewer.emailVerified follows", async () => {
    const { client, input } = await signedUpClient(server);
    const viewerVerified = async () =>
      (await client.graphql<{ viewer: { emailVerified: boolean } }>(`{ viewer { emailVerified } }`))
        .body.data?.viewer.emailVerified;
    expect(await viewerVerified()).toBe(false);
    const mail = await inbox.nextMessageTo(input.email);
    const link = linkIn(mail, "/verify-email");
    expect(link.origin).toBe("https://tributary.test");
    const token = link.searchParams.get("token")!;

    const verified = await client.graphql(VERIFY_EMAIL, { token });
    expect(verified.body.data).toEqual({
      verifyEmail: {
        __typename: "VerifyEmailPayload",
        isSignedIn: false,
        user: { emailVerified: true },
      },
    });
    expect(await viewerVerified()).toBe(true);

    expect((await client.graphql(VERIFY_EMAIL, { token })).body.data).toEqual({
      verifyEmail: {
        __typename: "InvalidLinkError",
        message: "This verification link has already been used.",
        problem: "USED",
      },
    });
    expect((await client.graphql(VERIFY_EMAIL, { token: "forged-token" })).body.data).toEqual({
      verifyEmail: {
        __typename: "InvalidLinkError",
        message: "This verification link is not valid. Ask for a new one from your settings.",
        problem: "UNKNOWN",
      },
    });
  });

  it("verifyEmail signs a signed-out caller in to the account, never switches a signed-in one", async () => {
    const input = newAccountInput();
    const signUpBody = await new TestClient(server.url).graphql(SIGN_UP, { input });
    expect(signUpBody.body.data).toEqual({
      signUp: { __typename: "SignUpStarted", email: input.email },
    });
    const token = linkIn(await inbox.nextMessageTo(input.email), "/verify-email").searchParams.get(
      "token",
    )!;

    // Someone else's browser, signed in, following the link: verified, but stays who it was.
    const other = await createUser(server.db);
    const theirs = new TestClient(server.url);
    theirs.setSessionCookie(`tributary_session=${other.token}`);
    const checked = await theirs.graphql(VERIFY_EMAIL, { token });
    expect(checked.body.data).toEqual({
      // Another person's account: whether it is verified is not theirs to see.
      verifyEmail: {
        __typename: "VerifyEmailPayload",
        isSignedIn: false,
        user: { emailVerified: null },
      },
    });
    const row = await server.db
      .selectFrom("users")
      .select("email_verified_at")
      .where("email", "=", input.email)
      .executeTakeFirstOrThrow();
    expect(row.email_verified_at).toBeInstanceOf(Date);
    expect((await theirs.graphql<{ viewer: Viewer }>(VIEWER)).body.data?.viewer.handle).toBe(
      other.user.handle,
    );

    // A signed-out browser following a link is signed in to its account.
    const second = newAccountInput();
    await new TestClient(server.url).graphql(SIGN_UP, { input: second });
    const secondToken = linkIn(
      await inbox.nextMessageTo(second.email),
      "/verify-email",
    ).searchParams.get("token")!;
    const stranger = new TestClient(server.url);
    const response = await stranger.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: VERIFY_EMAIL, variables: { token: secondToken } }),
    });
    expect(response.headers.getSetCookie().join("\n")).toMatch(/tributary_session=.*HttpOnly/i);
    expect((await response.json()).data).toEqual({
      // As with signIn, the request itself was anonymous: private fields show from the next.
      verifyEmail: {
        __typename: "VerifyEmailPayload",
        isSignedIn: true,
        user: { emailVerified: null },
      },
    });
    expect(
      (
        await stranger.graphql<{ viewer: Viewer & { emailVerified: boolean } }>(
          `{ viewer { handle email emailVerified } }`,
        )
      ).body.data?.viewer,
    ).toEqual({ handle: second.handle, email: second.email, emailVerified: true });
  });

  it("signUp answers a taken email exactly as a new one, sets no cookie, and mails the owner", async () => {
    const owner = await createUser(server.db);
    const answer = async (input: ReturnType<typeof newAccountInput>) => {
      const response = await new TestClient(server.url).request("/graphql", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: SIGN_UP, variables: { input } }),
      });
      return {
        status: response.status,
        cookies: response.headers.getSetCookie(),
        body: await response.text(),
      };
    };
    const fresh = newAccountInput();
    const taken = await answer(newAccountInput({ email: owner.user.email }));
    const created = await answer(fresh);
    expect(created.body).toBe(
      JSON.stringify({ data: { signUp: { __typename: "SignUpStarted", email: fresh.email } } }),
    );
    expect(taken).toEqual({
      ...created,
      body: created.body.replace(fresh.email, owner.user.email),
    });
    expect(created.cookies).toEqual([]);
    expect((await inbox.nextMessageTo(owner.user.email)).subject).toBe(
      "Someone tried to sign up to Tributary with your email",
    );
    expect((await inbox.nextMessageTo(fresh.email)).subject).toBe(
      "Confirm your email for Tributary",
    );
  });

  it("resetPassword signs out every session and works once; unknown addresses get the same answer", async () => {
    const owner = await createUser(server.db);
    const device = new TestClient(server.url);
    const signedIn = await device.graphql<{ signIn: { __typename: string } }>(SIGN_IN, {
      input: { email: owner.user.email, password: owner.password },
    });
    expect(signedIn.body.data?.signIn.__typename).toBe("AuthPayload");

    const stranger = new TestClient(server.url);
    const known = await stranger.graphql(REQUEST_RESET, { email: owner.user.email });
    const unknown = await stranger.graphql(REQUEST_RESET, { email: "no-such-person@example.com" });
    expect(unknown.body).toEqual(known.body);
    expect(known.body.data).toEqual({
      requestPasswordReset: {
        __typename: "RequestPasswordResetPayload",
        message:
          "If an account uses that address, we have sent it a link to reset the password. The link works for 30 minutes.",
      },
    });
    const token = linkIn(
      await inbox.nextMessageTo(owner.user.email),
      "/reset-password",
    ).searchParams.get("token")!;

    const reset = await stranger.graphql(RESET_PASSWORD, {
      token,
      newPassword: "a brand new passphrase",
    });
    expect(reset.body.data).toEqual({
      resetPassword: { __typename: "ResetPasswordPayload", signedOutSessions: 2 },
    });
    const viewer = await device.graphql<{ viewer: unknown }>(`{ viewer { id } }`);
    expect(viewer.body.data?.viewer).toBeNull();

    const again = await stranger.graphql(RESET_PASSWORD, {
      token,
      newPassword: "another new passphrase",
    });
    expect(again.body.data).toEqual({
      resetPassword: {
        __typename: "InvalidLinkError",
        message: "This reset link has already been used. Ask for a new one if you need to.",
        problem: "USED",
      },
    });
    const withNew = await new TestClient(server.url).graphql<{ signIn: { __typename: string } }>(
      SIGN_IN,
      { input: { email: owner.user.email, password: "a brand new passphrase" } },
    );
    expect(withNew.body.data?.signIn.__typename).toBe("AuthPayload");
    expect(inbox.messagesTo("no-such-person@example.com")).toEqual([]);
  });

  it("signUp refuses a disposable address and, past the limit per address, answers RateLimitedError", async () => {
    const client = new TestClient(server.url);
    const countUsers = async () =>
      Number(
        (
          await server.db
            .selectFrom("users")
            .select((eb) => eb.fn.countAll<bigint>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const disposable = await client.graphql(SIGN_UP_RESULT, {
      input: newAccountInput({ email: `farm${Date.now()}@mailinator.com` }),
    });
    expect(disposable.body.data).toEqual({
      signUp: {
        __typename: "ValidationError",
        message:
          "Addresses from disposable email services can't be used. Use an address you will keep.",
      },
    });
    let refused: { __typename: string; message: string; retryAfterSeconds?: number } | undefined;
    for (let i = 0; i < 6 && refused?.__typename !== "RateLimitedError"; i++) {
      const before = await countUsers();
      refused = (
        await new TestClient(server.url).graphql<{ signUp: NonNullable<typeof refused> }>(
          SIGN_UP_RESULT,
          { input: newAccountInput() },
        )
      ).body.data?.signUp;
      if (refused?.__typename === "RateLimitedError") expect(await countUsers()).toBe(before);
    }
    expect(refused).toEqual({
      __typename: "RateLimitedError",
      message: "Too many sign-ups from your address in the last hour. Try again later.",
      retryAfterSeconds: expect.any(Number),
    });
  });
});
