import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newAccountInput } from "#tests/support/factories.ts";
import { TestClient } from "#tests/support/http-client.ts";
import { testBackends } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

const SIGN_UP = /* GraphQL */ `
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
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

async function signedUpClient(server: TestServer) {
  const client = new TestClient(server.url);
  const input = newAccountInput();
  const { body } = await client.graphql<{ signUp: { __typename: string; user: Viewer } }>(SIGN_UP, {
    input,
  });
  if (body.data?.signUp.__typename !== "AuthPayload") throw new Error(JSON.stringify(body));
  return { client, input, user: body.data.signUp.user };
}

describe.each(testBackends())("GraphQL auth on %s", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend, { SIGN_IN_MAX_ATTEMPTS_PER_ACCOUNT: "3" });
  });
  afterAll(() => server.close());

  it("signUp sets an HttpOnly SameSite=Lax session cookie and viewer answers with the new user", async () => {
    const client = new TestClient(server.url);
    const input = newAccountInput();
    const response = await client.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: SIGN_UP, variables: { input } }),
    });
    const setCookie = response.headers.getSetCookie().join("\n");
    expect(setCookie).toMatch(/tributary_session=[a-z2-9]{24}\.[a-z2-9]{24}/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const created = (await response.json()).data.signUp;
    expect(created.user.handle).toBe(input.handle);
    expect(JSON.stringify(created)).not.toContain(client.sessionCookie?.split("=")[1]);

    const { body } = await client.graphql<{ viewer: Viewer }>(VIEWER);
    expect(body.data?.viewer).toEqual({
      id: created.user.id,
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

  it("signIn with a wrong password is an InvalidCredentialsError, then RateLimitedError after the limit", async () => {
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
    const limited = (await attempt()).body.data?.signIn;
    expect(limited?.__typename).toBe("RateLimitedError");
    expect(limited?.message).toMatch(/Too many sign-in attempts for this account/);
    expect(limited?.retryAfterSeconds).toBeGreaterThan(0);
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

  it("serves GraphiQL to a browser asking for HTML", async () => {
    const response = await fetch(`${server.url}/graphql`, { headers: { accept: "text/html" } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Tributary GraphQL");
  });
});
