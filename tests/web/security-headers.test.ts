import http, { type IncomingHttpHeaders } from "node:http";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import { createUser, newAccountInput } from "#tests/support/factories.ts";
import { TestClient } from "#tests/support/http-client.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

type RawResponse = { status: number; headers: IncomingHttpHeaders; body: Buffer };

/**
 * A GET that sees the bytes on the wire: fetch would ask for gzip and br itself and
 * decode them out of sight.
 */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
        response.on("error", reject);
      })
      .on("error", reject);
  });
}

function decode(response: RawResponse): string {
  const encoding = response.headers["content-encoding"];
  if (encoding === "br") return zlib.brotliDecompressSync(response.body).toString("utf8");
  if (encoding === "gzip") return zlib.gunzipSync(response.body).toString("utf8");
  if (encoding === undefined) return response.body.toString("utf8");
  throw new Error(`unexpected content-encoding ${encoding}`);
}

/** The policy as directive name → its sources. */
function parsePolicy(header: string | null | undefined): Map<string, string[]> {
  expect(header, "Content-Security-Policy header").toBeTruthy();
  const directives = new Map<string, string[]>();
  for (const part of header!.split(";")) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

function nonceOf(policy: Map<string, string[]>): string {
  const nonces = (policy.get("script-src") ?? [])
    .map((source) => /^'nonce-([^']+)'$/.exec(source)?.[1])
    .filter((nonce) => nonce !== undefined);
  expect(nonces, "one nonce in script-src").toHaveLength(1);
  return nonces[0]!;
}

/**
 * Every <script …> opening tag in the page, read as a browser does: a script's body runs
 * to the next `</script`, whatever it holds (GraphiQL's holds React's "<script><\/script>").
 */
function scriptTags(html: string): string[] {
  const tags: string[] = [];
  const opening = /<script\b[^>]*>/gi;
  let match: RegExpExecArray | null;
  while ((match = opening.exec(html))) {
    tags.push(match[0]);
    const end = html.toLowerCase().indexOf("</script", opening.lastIndex);
    if (end === -1) break;
    opening.lastIndex = end;
  }
  return tags;
}

function expectEveryScriptCarries(html: string, nonce: string) {
  const tags = scriptTags(html);
  expect(tags.length).toBeGreaterThan(0);
  for (const tag of tags) expect(tag).toContain(` nonce="${nonce}"`);
}

function expectLockedDown(policy: Map<string, string[]>) {
  expect(policy.get("object-src")).toEqual(["'none'"]);
  expect(policy.get("base-uri")).toEqual(["'none'"]);
  expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
  expect(policy.get("form-action")).toEqual(["'self'"]);
  expect(policy.get("script-src-attr")).toEqual(["'none'"]);
  const scriptSources = policy.get("script-src") ?? [];
  expect(scriptSources).not.toContain("'unsafe-inline'");
  expect(scriptSources).not.toContain("'unsafe-eval'");
  expect(scriptSources.some((source) => source.includes("*") || source.endsWith(":"))).toBe(false);
}

describe("Content-Security-Policy and compression", () => {
  let server: TestServer;
  let admin: TestClient;
  let member: TestClient;
  let memberId: UserId;

  /** A signed-in client; looked up by email, whatever sign-up answers. */
  async function signedIn(options: { isAdmin?: boolean } = {}) {
    const input = newAccountInput();
    await createUser(server.db, input);
    const { id } = await server.db
      .selectFrom("users")
      .select("id")
      .where("email", "=", input.email)
      .executeTakeFirstOrThrow();
    if (options.isAdmin) {
      await server.db.updateTable("users").set({ is_admin: true }).where("id", "=", id).execute();
    }
    const client = new TestClient(server.url);
    const signIn = { email: input.email, password: input.password };
    expect((await client.postForm("/signin", signIn)).status).toBe(302);
    return { client, id: id as UserId };
  }

  beforeAll(async () => {
    server = await startTestServer("pglite");
    admin = (await signedIn({ isAdmin: true })).client;
    ({ client: member, id: memberId } = await signedIn());
  });
  afterAll(() => server.close());

  it("gives each page a fresh nonce that every script on it carries", async () => {
    const nonces = new Set<string>();
    for (const [client, path] of [
      [new TestClient(server.url), "/"],
      [new TestClient(server.url), "/"],
      [member, "/feed"],
      [member, "/wallet"],
      [member, "/games/river-run"],
    ] as const) {
      const response = await client.get(path);
      expect(response.status, path).toBe(200);
      const policy = parsePolicy(response.headers.get("content-security-policy"));
      expectLockedDown(policy);
      const nonce = nonceOf(policy);
      // 128 bits or more of randomness, base64.
      expect(Buffer.from(nonce, "base64").length).toBeGreaterThanOrEqual(16);
      expect(nonce).toMatch(/^[A-Za-z0-9+/]+=*$/);
      nonces.add(nonce);
      const html = await response.text();
      // Remix's context script and its module script at least.
      expect(scriptTags(html).length, path).toBeGreaterThanOrEqual(2);
      expectEveryScriptCarries(html, nonce);
    }
    expect(nonces.size).toBe(5);
  });

  it("allows what the pages load and nothing from elsewhere", async () => {
    const policy = parsePolicy((await member.get("/feed")).headers.get("content-security-policy"));
    expect(policy.get("default-src")).toEqual(["'self'"]);
    expect(policy.get("connect-src")).toEqual(["'self'"]);
    expect(policy.get("img-src")).toEqual(["'self'", "data:", "blob:"]);
    expect(policy.get("style-src")).toEqual(["'self'"]);
  });

  it("serves GraphiQL with its inline script under the response's nonce", async () => {
    const response = await admin.request("/graphql", { headers: { accept: "text/html" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const policy = parsePolicy(response.headers.get("content-security-policy"));
    expectLockedDown(policy);
    const nonce = nonceOf(policy);
    const html = await response.text();
    expect(html).toContain("YogaGraphiQL.renderYogaGraphiQL");
    expectEveryScriptCarries(html, nonce);
    // Its editor's workers are made from blob: URLs.
    expect(policy.get("worker-src")).toEqual(["blob:"]);

    const again = await admin.request("/graphql", { headers: { accept: "text/html" } });
    expect(nonceOf(parsePolicy(again.headers.get("content-security-policy")))).not.toBe(nonce);
  });

  it("compresses pages, scripts and GraphiQL for clients that ask", async () => {
    const home = await rawGet(`${server.url}/`, { "accept-encoding": "br" });
    expect(home.headers["content-encoding"]).toBe("br");
    const homeHtml = decode(home);
    // The whole page, to the last streamed script (single fetch's data after </html>).
    const isComplete = (html: string) =>
      html.includes("</html>") && html.includes("__remixContext.streamController.close()");
    expect(isComplete(homeHtml)).toBe(true);

    const gzipped = await rawGet(`${server.url}/`, { "accept-encoding": "gzip" });
    expect(gzipped.headers["content-encoding"]).toBe("gzip");
    expect(isComplete(decode(gzipped))).toBe(true);

    const plain = await rawGet(`${server.url}/`);
    expect(plain.headers["content-encoding"]).toBeUndefined();

    const script = /<link rel="modulepreload" href="(\/assets\/[^"]+\.js)"/.exec(homeHtml)?.[1];
    expect(script).toBeTruthy();
    const js = await rawGet(`${server.url}${script}`, { "accept-encoding": "gzip, br" });
    expect(js.status).toBe(200);
    expect(js.headers["content-encoding"]).toBe("br");
    expect(decode(js).length).toBeGreaterThan(0);

    const graphiql = await rawGet(`${server.url}/graphql`, {
      accept: "text/html",
      "accept-encoding": "gzip",
      cookie: admin.sessionCookie!,
    });
    expect(graphiql.status).toBe(200);
    expect(graphiql.headers["content-encoding"]).toBe("gzip");
    const graphiqlHtml = decode(graphiql);
    expect(graphiqlHtml).toContain("YogaGraphiQL.renderYogaGraphiQL");
    // The uncompressed page is about 9 MB.
    expect(graphiqlHtml.length).toBeGreaterThan(5_000_000);
    expect(graphiql.body.length).toBeLessThan(graphiqlHtml.length / 3);
  });

  it("streams GraphQL subscriptions over SSE uncompressed, each event as it happens", async () => {
    const query = "subscription { rewardLanded { memo } }";
    const request = http.get(`${server.url}/graphql?query=${encodeURIComponent(query)}`, {
      headers: {
        accept: "text/event-stream",
        "accept-encoding": "gzip, deflate, br",
        cookie: member.sessionCookie!,
      },
    });
    try {
      const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
        request.on("response", resolve).on("error", reject);
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers["content-type"]).toMatch(/^text\/event-stream/);
      // Yoga marks its streams `Content-Encoding: none`; anything else would be a compression.
      expect([undefined, "none"]).toContain(response.headers["content-encoding"]);
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        text += chunk;
      });
      const waitFor = async (pattern: RegExp) => {
        const deadline = Date.now() + 10_000;
        while (!pattern.test(text)) {
          if (Date.now() > deadline) throw new Error(`no ${pattern} within 10 s; got: ${text}`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      };
      await waitFor(/^:\n\n/);
      await server.services.rewards.reward({
        actionKind: "post.created",
        userId: memberId,
        causeId: "security-headers-sse",
        memo: "Arrives live",
      });
      await waitFor(/Arrives live/);
    } finally {
      request.destroy();
    }
  });
});
