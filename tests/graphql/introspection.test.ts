import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeAdmin, newPerson, type Person } from "#tests/graphql/social-fixtures.ts";
import { TestClient } from "#tests/support/http-client.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

// What the schema tells whom: headers and validation, not data, so PGlite alone.

const SCHEMA_TYPES = /* GraphQL */ `
  {
    __schema {
      types {
        name
      }
    }
  }
`;
const USER_FIELDS = /* GraphQL */ `
  {
    __type(name: "User") {
      fields {
        name
      }
    }
  }
`;
// A typo of `viewer`: graphql-js suggests the real field names.
const TYPO = `{ viewr { id } }`;
// An enum value that is not one: variable coercion suggests the real values.
const BAD_PERIOD = `query ($period: RankingPeriod) { xpLeaderboard(period: $period) { __typename } }`;

type Answer = Awaited<ReturnType<TestClient["graphql"]>>;

function messages(answer: Answer): string {
  return (answer.body.errors ?? []).map((error) => error.message).join("\n");
}

function graphiql(server: TestServer, client: TestClient | null) {
  return fetch(`${server.url}/graphql`, {
    headers: {
      accept: "text/html,application/xhtml+xml",
      ...(client?.sessionCookie ? { cookie: client.sessionCookie } : {}),
    },
  });
}

describe("introspection, suggestions and GraphiQL in production", () => {
  let server: TestServer;
  let member: Person;
  let admin: Person;
  beforeAll(async () => {
    server = await startTestServer("pglite");
    member = await newPerson(server);
    admin = await newPerson(server);
    await makeAdmin(server.db, admin);
  });
  afterAll(() => server.close());

  it("anyone but an admin is refused introspection, by __schema and by __type, with a plain reason", async () => {
    for (const client of [new TestClient(server.url), member.client]) {
      for (const query of [SCHEMA_TYPES, USER_FIELDS]) {
        const answer = await client.graphql(query);
        expect(answer.body.data).toBeUndefined();
        expect(messages(answer)).toMatch(/introspection/i);
      }
    }
  });

  it("__typename still answers for everyone: clients rely on it for unions", async () => {
    const answer = await new TestClient(server.url).graphql(`{ __typename }`);
    expect(answer.body).toEqual({ data: { __typename: "Query" } });
  });

  it("an admin may introspect", async () => {
    const schema = await admin.client.graphql<{ __schema: { types: { name: string }[] } }>(
      SCHEMA_TYPES,
    );
    expect(schema.body.errors).toBeUndefined();
    expect(schema.body.data?.__schema.types.map((type) => type.name)).toContain("User");
    const user = await admin.client.graphql<{ __type: { fields: { name: string }[] } }>(
      USER_FIELDS,
    );
    expect(user.body.data?.__type.fields.map((field) => field.name)).toContain("handle");
  });

  it("anyone but an admin gets no field or enum suggestions, but still the error", async () => {
    for (const client of [new TestClient(server.url), member.client]) {
      const typo = await client.graphql(TYPO);
      expect(messages(typo)).toContain(`Cannot query field "viewr" on type "Query".`);
      expect(messages(typo)).not.toMatch(/did you mean|"viewer"|"user"/i);

      const period = await client.graphql(BAD_PERIOD, { period: "WEK" });
      expect(messages(period)).toContain(`"WEK"`);
      expect(messages(period)).not.toMatch(/did you mean|"WEEK"/i);
    }
  });

  it("an admin gets the suggestions", async () => {
    expect(messages(await admin.client.graphql(TYPO))).toMatch(/Did you mean "viewer"/);
    expect(messages(await admin.client.graphql(BAD_PERIOD, { period: "WEK" }))).toMatch(
      /Did you mean the enum value "WEEK"/,
    );
  });

  it("the same document answers each caller by who they are, whatever was cached before", async () => {
    // The parser and validation caches are keyed by document: an admin's answer must not
    // stick for a member, nor a member's for the admin.
    const typo = `{ viewr { handle } }`;
    expect(messages(await admin.client.graphql(typo))).toMatch(/Did you mean/);
    expect(messages(await member.client.graphql(typo))).not.toMatch(/Did you mean/);
    expect(messages(await admin.client.graphql(typo))).toMatch(/Did you mean/);
    const schema = `{ __schema { queryType { name } } }`;
    expect((await admin.client.graphql(schema)).body.data).toBeDefined();
    expect((await member.client.graphql(schema)).body.data).toBeUndefined();
    expect((await admin.client.graphql(schema)).body.data).toBeDefined();
  });

  it("GraphiQL is served to admins only; anyone else gets a short page saying so", async () => {
    for (const client of [null, member.client]) {
      const response = await graphiql(server, client);
      expect(response.status).toBe(403);
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
      const html = await response.text();
      expect(html.length).toBeLessThan(4000);
      expect(html).toContain("GraphiQL");
      expect(html).toContain("admin");
      expect(html).not.toContain("<script");
    }
    // Remix matches the route in any case and with a trailing slash; Yoga's GraphiQL test does not.
    for (const path of ["/graphql/", "/GraphQL", "/GRAPHQL/", "/graphql?query=%7B__typename%7D"]) {
      const response = await fetch(`${server.url}${path}`, {
        headers: { accept: "text/html", cookie: member.client.sessionCookie! },
      });
      expect(response.status, path).toBeLessThan(500);
      expect(await response.text(), path).not.toContain("YogaGraphiQL");
    }
    const response = await graphiql(server, admin.client);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("<title>Tributary GraphQL</title>");
    expect(html.length).toBeGreaterThan(100_000);
  });

  it("the footer links to the GraphQL API only for those it is served to", async () => {
    const linksToApi = async (client: TestClient) =>
      (await (await client.get("/")).text()).includes('href="/graphql"');
    expect(await linksToApi(new TestClient(server.url))).toBe(false);
    expect(await linksToApi(member.client)).toBe(false);
    expect(await linksToApi(admin.client)).toBe(true);
  });
});

describe("introspection, suggestions and GraphiQL outside production", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer("pglite", { NODE_ENV: "test" });
  });
  afterAll(() => server.close());

  it("anyone may introspect, is offered suggestions and gets GraphiQL", async () => {
    const client = new TestClient(server.url);
    const schema = await client.graphql<{ __schema: { types: { name: string }[] } }>(SCHEMA_TYPES);
    expect(schema.body.data?.__schema.types.map((type) => type.name)).toContain("User");
    expect(messages(await client.graphql(TYPO))).toMatch(/Did you mean "viewer"/);
    const response = await graphiql(server, null);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("<title>Tributary GraphQL</title>");
  });
});
