import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newPerson, type Person } from "#tests/graphql/social-fixtures.ts";
import { newAccountInput } from "#tests/support/factories.ts";
import { testBackends } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

const JSON_CLIENT = "application/json";
const SPEC_CLIENT = "application/graphql-response+json";

type Answer = { status: number; text: string; body: { data?: unknown; errors?: unknown[] } | null };

async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text();
  let body = null;
  try {
    body = JSON.parse(text) as Answer["body"];
  } catch {
    // Not every refusal is JSON (a 413 from the HTTP server, a 431 from Node).
  }
  return { status: response.status, text, body };
}

function messagesOf(answer: Answer): string {
  return JSON.stringify(answer.body?.errors ?? []);
}

describe.each(testBackends())("malformed GraphQL requests on %s", (backend) => {
  let server: TestServer;
  let person: Person;
  beforeAll(async () => {
    server = await startTestServer(backend);
    person = await newPerson(server);
  });
  afterAll(() => server.close());

  function get(params: Record<string, string>, accept = JSON_CLIENT) {
    return fetch(`${server.url}/graphql?${new URLSearchParams(params)}`, {
      headers: { accept, cookie: person.client.sessionCookie! },
    }).then(answerOf);
  }

  function post(body: string | Record<string, unknown>, accept = JSON_CLIENT) {
    return person.client
      .request("/graphql", {
        method: "POST",
        headers: { "content-type": "application/json", accept },
        body: typeof body === "string" ? body : JSON.stringify(body),
      })
      .then(answerOf);
  }

  it("GET with variables that are not JSON answers 400 saying so, whatever the client accepts", async () => {
    for (const accept of [JSON_CLIENT, SPEC_CLIENT]) {
      const answer = await get({ query: "{ viewer { id } }", variables: "{" }, accept);
      expect(answer.status).toBe(400);
      expect(messagesOf(answer)).toMatch(/variables.*JSON/i);
      expect(messagesOf(answer)).not.toContain("Unexpected error.");
    }
  });

  it("GET with extensions that are not JSON answers 400 saying so", async () => {
    const answer = await get({ query: "{ viewer { id } }", extensions: "{'a':1}" });
    expect(answer.status).toBe(400);
    expect(messagesOf(answer)).toMatch(/extensions.*JSON/i);
  });

  it("a form-encoded POST with variables that are not JSON answers 400", async () => {
    const response = await person.client.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: JSON_CLIENT },
      body: new URLSearchParams({ query: "{ viewer { id } }", variables: "[1," }),
    });
    const answer = await answerOf(response);
    expect(answer.status).toBe(400);
    expect(messagesOf(answer)).toMatch(/variables.*JSON/i);
  });

  it("a POST body that is not JSON answers 400 saying so, whatever the client accepts", async () => {
    for (const accept of [JSON_CLIENT, SPEC_CLIENT]) {
      const answer = await post(`{"query": "{ viewer { id } }"`, accept);
      expect(answer.status).toBe(400);
      expect(messagesOf(answer)).toMatch(/JSON/);
    }
  });

  it("a NUL in a leaderboard's seasonId is refused with a 400 naming it, not an unexpected error", async () => {
    const literal = `{ xpLeaderboard(period: SEASON, seasonId: "1\\u0000") { __typename } }`;
    const byVariable = `query ($season: ID) { earnersLeaderboard(period: SEASON, seasonId: $season) { __typename } }`;
    for (const accept of [JSON_CLIENT, SPEC_CLIENT]) {
      const answers = [
        await post({ query: literal }, accept),
        await post({ query: byVariable, variables: { season: "1\u0000" } }, accept),
        await get({ query: byVariable, variables: JSON.stringify({ season: "\u0000" }) }, accept),
      ];
      for (const answer of answers) {
        expect(answer.status).toBeGreaterThanOrEqual(accept === SPEC_CLIENT ? 400 : 200);
        expect(answer.status).toBeLessThan(500);
        expect(answer.body?.data).toBeUndefined();
        // The GET may be refused before GraphQL, for its %00, in plain text: NUL either way.
        expect(answer.text).toMatch(/NUL/);
        expect(answer.text).not.toContain("Unexpected error.");
      }
    }
  });

  it("a NUL anywhere in the variables, however deep, refuses the operation and changes nothing", async () => {
    const input = newAccountInput({ displayName: "Nul\u0000Byte" });
    const answer = await post({
      query: `mutation ($input: SignUpInput!) { signUp(input: $input) { __typename } }`,
      variables: { input },
    });
    expect(answer.status).toBeLessThan(500);
    expect(answer.body?.data).toBeUndefined();
    expect(messagesOf(answer)).toMatch(/NUL/);
    const created = await server.db
      .selectFrom("users")
      .select("id")
      .where("email", "=", input.email)
      .executeTakeFirst();
    expect(created).toBeUndefined();
    const nested = await post({
      query: `mutation ($inputs: JSON!) { submitRun(runId: "1", claimedScore: 1, inputs: $inputs) { __typename } }`,
      variables: { inputs: { ticks: [[1, { key: "a\u0000" }]] } },
    });
    expect(messagesOf(nested)).toMatch(/NUL/);
  });

  it("variables nested absurdly deep are refused with a 4xx, not a stack overflow", async () => {
    const depth = 200_000;
    const answer = await post(
      `{"query":"{ viewer { id } }","variables":{"a":${"[".repeat(depth)}${"]".repeat(depth)}}}`,
    );
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
  });

  describe("queries the limits refuse", () => {
    const refused: [string, string, RegExp][] = [
      [
        "aliases",
        `{ ${Array.from({ length: 25 }, (_, i) => `a${i}: viewer { id }`).join(" ")} }`,
        /Aliases limit/,
      ],
      [
        "depth",
        `{ viewer { ${"followers { edges { node { ".repeat(5)} id ${"} } }".repeat(5)} } }`,
        /Query depth limit/,
      ],
      [
        "cost",
        `{ viewer { followers(first: 100) { edges { node { followers(first: 100) { edges { node { id handle } } } } } } } }`,
        /Query Cost limit/,
      ],
      ["directives", `{ viewer { id ${"@include(if: true) ".repeat(25)} } }`, /Directives limit/],
      ["tokens", `{ viewer { ${"id ".repeat(2100)} } }`, /Token limit/],
      ["syntax", `{ viewer { id }`, /Syntax Error/],
      ["unknown field", `{ nothingHere }`, /Cannot query field/],
    ];

    it.each(refused)(
      "%s: 400 for a client that accepts application/graphql-response+json",
      async (_name, query, message) => {
        const answer = await post({ query }, SPEC_CLIENT);
        expect(answer.status).toBe(400);
        expect(answer.body?.data).toBeUndefined();
        expect(messagesOf(answer)).toMatch(message);
      },
    );

    it.each(refused)(
      "%s: 200 with the errors for an application/json client, as before",
      async (_name, query, message) => {
        const answer = await post({ query }, JSON_CLIENT);
        expect(answer.status).toBe(200);
        expect(answer.body?.data).toBeUndefined();
        expect(messagesOf(answer)).toMatch(message);
      },
    );
  });

  it("a mutation over GET is refused and does nothing (no cross-site writes by link)", async () => {
    const input = newAccountInput();
    const answer = await get({
      query: `mutation ($input: SignUpInput!) { signUp(input: $input) { __typename } }`,
      variables: JSON.stringify({ input }),
    });
    expect(answer.status).toBe(405);
    const created = await server.db
      .selectFrom("users")
      .select("id")
      .where("email", "=", input.email)
      .executeTakeFirst();
    expect(created).toBeUndefined();
  });

  it("a batch of operations is refused with a 400", async () => {
    const response = await person.client.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: JSON_CLIENT },
      body: JSON.stringify([{ query: "{ viewer { id } }" }, { query: "{ viewer { id } }" }]),
    });
    expect(response.status).toBe(400);
  });

  describe("fuzzed (seeded, bounded)", () => {
    // Operations whose String, ID, Int and JSON arguments reach Postgres or a parser; the
    // fuzzer fills their variables with anything JSON can carry, well-typed or not.
    const operations = [
      `query ($h: String!) { user(handle: $h) { id handle } }`,
      `query ($h: String!) { profile(handle: $h) { id } }`,
      `query ($id: ID!) { post(id: $id) { id body } }`,
      `query ($id: ID!) { node(id: $id) { id } }`,
      `query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`,
      `query ($id: ID!) { game(id: $id) { id } }`,
      `query ($s: ID, $p: RankingPeriod, $f: Int) { xpLeaderboard(seasonId: $s, period: $p, first: $f) { __typename } }`,
      `query ($s: ID, $p: RankingPeriod, $f: Int) { earnersLeaderboard(seasonId: $s, period: $p, first: $f) { __typename } }`,
      `query ($t: String!, $a: String, $f: Int) { hashtagFeed(tag: $t, after: $a, first: $f) { edges { cursor } } }`,
      `query ($k: FeedKind!, $a: String, $b: String, $f: Int, $l: Int) { feed(kind: $k, after: $a, before: $b, first: $f, last: $l) { edges { cursor } } }`,
      `query ($a: String!) { claimProof(address: $a) { __typename } }`,
      `query ($a: String, $f: Int) { settlementEpochs(after: $a, first: $f) { edges { cursor } } }`,
      `mutation ($i: SignInInput!) { signIn(input: $i) { __typename } }`,
      `mutation ($e: String!) { requestPasswordReset(email: $e) { __typename } }`,
      `mutation ($p: String!, $t: String!) { resetPassword(newPassword: $p, token: $t) { __typename } }`,
      `mutation ($id: ID!) { likePost(postId: $id) { __typename } }`,
      `mutation ($id: ID!) { follow(userId: $id) { __typename } }`,
      `mutation ($id: ID!, $b: String!) { createComment(postId: $id, body: $b) { __typename } }`,
      `mutation ($id: ID!, $r: String!) { reportUser(userId: $id, reason: $r) { __typename } }`,
      `mutation ($id: ID!) { startRun(gameId: $id) { __typename } }`,
      `mutation ($id: ID!, $s: Int!, $i: JSON!) { submitRun(runId: $id, claimedScore: $s, inputs: $i) { __typename } }`,
      `mutation ($m: String!, $s: String!) { linkWallet(message: $m, signature: $s) { __typename } }`,
    ];
    const text = fc.oneof(
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.constantFrom("", "\u0000", "1\u0000", "%", "\\", "'", "UG9zdDox", "-1", "1e400", "\ud800"),
      fc.constantFrom("99999999999999999999999", "00000000-0000-0000-0000-000000000000"),
      fc.string({ unit: "grapheme", maxLength: 20 }),
    );
    const value = fc.oneof(
      { weight: 6, arbitrary: text },
      { weight: 2, arbitrary: fc.integer() },
      { weight: 1, arbitrary: fc.double() },
      { weight: 1, arbitrary: fc.constantFrom(null, true, 2 ** 53, -(2 ** 31) - 1) },
      { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    );
    // Enums get real values half the time, so the other arguments reach the resolvers.
    const enumValue = fc.oneof(fc.constantFrom("SEASON", "WEEK", "DISCOVER", "FOLLOWING"), value);
    const variables = fc.record(
      {
        ...Object.fromEntries(
          ["h", "id", "ids", "s", "f", "t", "a", "b", "l", "e", "i", "m", "r"].map((name) => [
            name,
            value,
          ]),
        ),
        p: enumValue,
        k: enumValue,
      },
      { requiredKeys: [] },
    );
    const accept = fc.constantFrom(
      JSON_CLIENT,
      SPEC_CLIENT,
      "*/*",
      "text/event-stream",
      "text/html",
    );

    function expectNoServerError(answer: Answer, label: string) {
      expect(answer.status, label).toBeLessThan(500);
      expect(answer.text, label).not.toContain("Unexpected error.");
    }

    it("typed operations with arbitrary variables never answer 5xx nor an unexpected error", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...operations),
          variables,
          fc.constantFrom(JSON_CLIENT, SPEC_CLIENT),
          async (query, vars, acceptHeader) => {
            const answer = await post({ query, variables: vars }, acceptHeader);
            expectNoServerError(answer, JSON.stringify({ query, vars }));
          },
        ),
        { seed: 16_007, numRuns: 220 },
      );
    });

    it("raw query strings, variables and extensions over GET never answer 5xx", async () => {
      const rawJson = fc.oneof(
        fc.string({ unit: "binary", maxLength: 30 }),
        fc.json({ maxDepth: 3 }),
        fc.constantFrom("{", "[", "null", '"x"', "1", "{}", '{"__proto__":{"x":1}}', "\u0000"),
      );
      const rawQuery = fc.oneof(
        fc.constantFrom(...operations.filter((op) => op.startsWith("query"))),
        fc.string({ unit: "binary", maxLength: 60 }),
        fc.constantFrom(
          "{",
          "{ viewer { id",
          "{ __schema { types { name } } }",
          "subscription { x }",
        ),
      );
      await fc.assert(
        fc.asyncProperty(
          rawQuery,
          fc.option(rawJson),
          fc.option(rawJson),
          fc.option(fc.string({ maxLength: 10 })),
          accept,
          async (query, vars, extensions, operationName, acceptHeader) => {
            const params: Record<string, string> = { query };
            if (vars !== null) params.variables = vars;
            if (extensions !== null) params.extensions = extensions;
            if (operationName !== null) params.operationName = operationName;
            // An EventSource stays open; a refusal or a result arrives at once.
            const response = await fetch(`${server.url}/graphql?${new URLSearchParams(params)}`, {
              headers: { accept: acceptHeader, cookie: person.client.sessionCookie! },
              signal: AbortSignal.timeout(5000),
            });
            if ((response.headers.get("content-type") ?? "").startsWith("text/event-stream")) {
              expect(response.status, JSON.stringify(params)).toBeLessThan(500);
              await response.body?.cancel();
              return;
            }
            expectNoServerError(await answerOf(response), JSON.stringify(params));
          },
        ),
        { seed: 16_016, numRuns: 150 },
      );
    });
  });
});
