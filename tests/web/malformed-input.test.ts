import fs from "node:fs";
import http from "node:http";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createComment } from "#core/social/comments.ts";
import { createPost } from "#core/social/posts.ts";
import { createUser } from "#tests/support/factories.ts";
import { TestClient } from "#tests/support/http-client.ts";
import { testBackends } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

// Every page and action of the web app, fed malformed paths, queries and form bodies, signed
// out, signed in and as an admin: none may answer 5xx, and a refusal says something.

/** `/u/:handle/follow` from `u.$handle_.follow.ts`, as Remix's flat routes read file names. */
function routePattern(file: string): string {
  const segments = file
    .replace(/\.(tsx?|jsx?)$/, "")
    .split(".")
    .filter((segment) => segment !== "_index")
    .map((segment) => segment.replace(/_$/, ""))
    .map((segment) => (segment.startsWith("$") ? `:${segment.slice(1)}` : segment));
  return `/${segments.join("/")}`;
}

// GraphQL's own fuzzing (variables, extensions) belongs to its suite.
const routePatterns = fs
  .readdirSync("app/routes")
  .filter((file) => file !== "graphql.ts")
  .map(routePattern);

type Sent = { status: number; body: string; contentType: string; setCookies: string[] };

/** One request exactly as written: no URL normalisation, no redirects followed. */
function send(
  baseUrl: string,
  options: { method: string; path: string; headers?: Record<string, string>; body?: Buffer },
): Promise<Sent> {
  const url = new URL(baseUrl);
  const headers = { ...options.headers };
  if (options.body) headers["content-length"] = String(options.body.byteLength);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: options.method,
        path: options.path,
        headers,
        // A fresh connection each time: a refusal sent before the body is read ends its own.
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            contentType: String(response.headers["content-type"] ?? ""),
            setCookies: response.headers["set-cookie"] ?? [],
          }),
        );
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(options.body);
  });
}

/** Percent-encodes every byte that is not unreserved, as a strict client would. */
const encode = (text: string) =>
  [...Buffer.from(text, "utf8")]
    .map((byte) =>
      /[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`,
    )
    .join("");

// Already-encoded pieces of a path segment or query value: broken escapes, NUL, overlong and
// lone surrogates' UTF-8, dot segments, numbers out of range, script, SQL.
const nastyEncoded = [
  "%ff",
  "%E0%A4%A",
  "%",
  "%zz",
  "%00",
  "a%00b",
  "%C0%AF",
  "%ED%A0%80",
  "%F4%90%80%80",
  "%0d%0a",
  "%09",
  "..",
  "%2e%2e",
  "%2f",
  "%5c",
  "-1",
  "0",
  "1.5",
  "1e400",
  "0x10",
  "99999999999999999999999",
  "9223372036854775808",
  "NaN",
  "null",
  "undefined",
  "%27%20OR%201%3D1--",
  "%3Cscript%3E",
  "%F0%9F%98%80",
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "a".repeat(1500),
  "%00".repeat(200),
  "",
];

const rawText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 10 }),
  fc.nat({ max: 100 }).map((n) => "x".repeat(n * 10)),
);

const encodedPiece = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...nastyEncoded) },
  { weight: 2, arbitrary: rawText.map(encode) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9%._~-]{0,20}$/) },
);

type Known = { postId: string; commentId: string; handle: string; userId: string };

/** A value for a route parameter: often a real one, so the route gets past its lookup. */
function paramValue(name: string, known: Known) {
  const real: Record<string, string[]> = {
    postId: [known.postId],
    commentId: [known.commentId],
    handle: [known.handle],
    userId: [known.userId, `${known.userId}.svg`],
    gameId: ["river-run", "tide-tiles", "rapids-rhythm"],
    segment: ["0", "1"],
  };
  const reals = real[name] ?? [];
  return reals.length > 0
    ? fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...reals) }, encodedPiece)
    : encodedPiece;
}

const fieldNames = [
  "intent",
  "redirectTo",
  "body",
  "reason",
  "decision",
  "rewardId",
  "reportId",
  "commentId",
  "parentId",
  "postId",
  "email",
  "password",
  "newPassword",
  "currentPassword",
  "handle",
  "displayName",
  "bio",
  "token",
  "address",
  "message",
  "signature",
  "actionKind",
  "amount",
  "amountUnit",
  "targetKind",
  "targetId",
  "after",
  "seasonId",
  "period",
];
const intents = [
  "like",
  "unlike",
  "follow",
  "unfollow",
  "mute",
  "unmute",
  "post",
  "comment",
  "reply",
  "edit-post",
  "delete-post",
  "delete-comment",
  "update-profile",
  "remove-avatar",
  "resend-verification",
  "nonce",
  "sign-in",
  "link",
  "unlink",
  "check-in",
  "appeal",
  "relay",
  "refresh",
  "decide-review",
  "decide-appeal",
  "update-rule",
];

const fieldValue = fc.oneof(
  fc.constantFrom(...intents),
  rawText,
  fc.constantFrom("\u0000", "a\u0000b", "\ud800", "x".repeat(200_000), "", "-1", "1e400"),
);
const fields = fc.array(
  fc.tuple(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...fieldNames) },
      { weight: 1, arbitrary: rawText },
    ),
    fieldValue,
  ),
  { maxLength: 6 },
);
const withIntent = fc
  .tuple(fc.constantFrom(...intents), fields)
  .map(([intent, rest]): [string, string][] => [["intent", intent], ...rest]);

type Body = { contentType?: string; bytes: Buffer };

const BOUNDARY = "----fuzz7MA4YWxkTrZu0gW";
function multipart(parts: [string, string][], file: boolean, broken: boolean): Buffer {
  const chunks = parts.map(
    ([name, value]) =>
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name.replace(/["\r\n]/g, "_")}"\r\n\r\n${value}\r\n`,
  );
  if (file) {
    chunks.push(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="avatar"; filename="a.png"\r\n` +
        `Content-Type: image/png\r\n\r\n<html><script>alert(1)</script></html>\r\n`,
    );
  }
  return Buffer.from(
    broken ? chunks.join("").slice(0, -7) : `${chunks.join("")}--${BOUNDARY}--\r\n`,
  );
}

const urlencoded = (f: [string, string][]): Body => ({
  contentType: "application/x-www-form-urlencoded",
  bytes: Buffer.from(new URLSearchParams(f).toString()),
});
const body: fc.Arbitrary<Body> = fc.oneof(
  { weight: 3, arbitrary: fields.map(urlencoded) },
  { weight: 5, arbitrary: withIntent.map(urlencoded) },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.constantFrom(...fieldNames), encodedPiece).map(([name, value]) => ({
      contentType: "application/x-www-form-urlencoded",
      bytes: Buffer.from(`intent=${encode("post")}&${name}=${value}&%=%&=&&`),
    })),
  },
  fc.tuple(withIntent, fc.boolean(), fc.boolean()).map(([f, file, broken]) => ({
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    bytes: multipart(f, file, broken),
  })),
  fc.constantFrom<Body>(
    { contentType: "multipart/form-data", bytes: Buffer.from("no boundary at all") },
    { contentType: "multipart/form-data; boundary=zzz", bytes: Buffer.from("--zzz\r\ngarbage") },
    { contentType: "application/json", bytes: Buffer.from('{"intent":"like"') },
    { contentType: "application/json", bytes: Buffer.from('{"intent":"like"}') },
    { contentType: "application/x-www-form-urlencoded", bytes: Buffer.from([0xff, 0xfe, 0x00]) },
    { contentType: "text/plain", bytes: Buffer.from("intent=like") },
    { contentType: "application/octet-stream", bytes: Buffer.alloc(64, 0) },
    { contentType: undefined, bytes: Buffer.from("intent=like") },
    { contentType: "application/x-www-form-urlencoded", bytes: Buffer.alloc(0) },
  ),
);

const query = fc.array(
  fc.tuple(fc.oneof(fc.constantFrom(...fieldNames), encodedPiece), encodedPiece),
  { maxLength: 4 },
);

type Identity = "signed-out" | "member" | "admin";
const seeds: Record<Identity, number> = { "signed-out": 1607, member: 1616, admin: 1625 };
// CI runs the fixed seeds; FUZZ_SEED and FUZZ_RUNS explore further by hand.
const seedOverride = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : null;
const runs = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : null;

describe.each(testBackends())("malformed requests on %s", (backend) => {
  let server: TestServer;
  let known: Known;
  const sessions = new Map<Identity, string | null>();
  const accounts = new Map<Identity, { email: string; password: string }>();

  /** A live session cookie for `who`, signing in again when a fuzzed form signed it out. */
  async function cookieFor(who: Identity): Promise<string | null> {
    if (who === "signed-out") return null;
    const cookie = sessions.get(who);
    if (cookie) return cookie;
    const client = new TestClient(server.url);
    const account = accounts.get(who)!;
    const response = await client.postForm("/signin", account);
    if (response.status !== 302) throw new Error(`sign-in for ${who}: ${response.status}`);
    sessions.set(who, client.sessionCookie);
    return client.sessionCookie;
  }

  beforeAll(async () => {
    server = await startTestServer(backend);
    for (const who of ["member", "admin"] as const) {
      const { user, password } = await createUser(server.db);
      await server.db
        .updateTable("users")
        .set({ is_admin: who === "admin", activated_at: new Date() })
        .where("id", "=", user.id)
        .execute();
      accounts.set(who, { email: user.email, password });
    }
    const { user: author } = await createUser(server.db);
    const post = await createPost(server.services, author.id, { body: "Fuzz me #cats" });
    if (!post.ok) throw new Error(post.error.message);
    const comment = await createComment(server.services, author.id, {
      postId: post.value.post.id,
      parentId: null,
      body: "A comment",
    });
    if (!comment.ok) throw new Error(comment.error.message);
    known = {
      postId: String(post.value.post.id),
      commentId: String(comment.value.comment.id),
      handle: author.handle,
      userId: author.id,
    };
  });
  afterAll(() => server.close());

  async function expectAnswered(
    who: Identity,
    request: { method: string; path: string; body?: Body },
  ) {
    const cookie = await cookieFor(who);
    const headers: Record<string, string> = { "user-agent": "malformed-input fuzz" };
    if (cookie) headers.cookie = cookie;
    if (request.method !== "GET") headers.origin = server.url;
    if (request.body?.contentType) headers["content-type"] = request.body.contentType;
    const answer = await send(server.url, {
      method: request.method,
      path: request.path,
      headers,
      body: request.body?.bytes,
    });
    const label = `${who} ${request.method} ${request.path.slice(0, 200)} → ${answer.status}`;
    expect(answer.status, `${label}: ${answer.body.slice(0, 300)}`).toBeLessThan(500);
    if (answer.status >= 400 && request.method !== "HEAD") {
      expect(answer.body.trim().length, label).toBeGreaterThan(0);
    }
    // A fuzzed form may sign the session out (or renew it): keep what a browser would keep.
    for (const setCookie of answer.setCookies) {
      const pair = setCookie.split(";")[0]!;
      if (!pair.startsWith("tributary_session=")) continue;
      const isCleared = /max-age=0/i.test(setCookie) || pair === "tributary_session=";
      if (isCleared) sessions.delete(who);
      else sessions.set(who, pair);
    }
    return answer;
  }

  it("knows every route file, so a new route is fuzzed too", () => {
    expect(routePatterns).toContain("/u/:handle/follow");
    expect(routePatterns).toContain("/games/runs/:runId/segments/:segment");
    expect(routePatterns).toContain("/");
    expect(routePatterns.length).toBeGreaterThanOrEqual(35);
  });

  it.each([
    "/tags/%ff",
    "/p/%E0%A4%A",
    "/u/%ff",
    "/u/%00",
    "/tags/a%00b",
    "/feed?after=%00",
    "/%C0%AF",
    "/games/river-run?seasonId=%00",
  ])("answers %s with a 400 that says what is wrong", async (path) => {
    for (const who of ["signed-out", "member"] as const) {
      const answer = await expectAnswered(who, { method: "GET", path });
      expect(answer.status).toBe(400);
      expect(answer.contentType).toMatch(/^text\/plain/);
      expect(answer.body).toMatch(/^Bad request: /);
    }
  });

  it.each([
    { host: "a b" },
    { host: "tributary.example:99999" },
    { host: "%zz" },
    { "x-forwarded-host": "tributary.example:99999" },
  ] as Record<string, string>[])(
    "answers a Host a URL cannot hold (%j) with a 400",
    async (headers) => {
      const answer = await send(server.url, { method: "GET", path: "/feed", headers });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatch(/^Bad request: the Host/);
    },
  );

  it("answers a body that is not a form, sent to a form's action, with a 415 that says what to send", async () => {
    const cookie = await cookieFor("member");
    for (const contentType of ["application/json", "text/plain", null]) {
      const answer = await send(server.url, {
        method: "POST",
        path: `/posts/${known.postId}/like`,
        headers: {
          cookie: cookie!,
          origin: server.url,
          ...(contentType ? { "content-type": contentType } : {}),
        },
        body: Buffer.from('{"intent":"like"}'),
      });
      expect(answer.status).toBe(415);
      expect(answer.body).toContain("application/x-www-form-urlencoded");
    }
    // The avatar form is multipart, posted to the page or (with JavaScript) to its .data path.
    for (const path of ["/settings/profile", "/settings/profile.data"]) {
      const upload = await send(server.url, {
        method: "POST",
        path,
        headers: {
          cookie: cookie!,
          origin: server.url,
          "content-type": `multipart/form-data; boundary=${BOUNDARY}`,
        },
        body: multipart([["intent", "avatar"]], false, false),
      });
      expect(upload.status, path).toBe(200);
      expect(upload.body).toContain("Choose an image to upload.");
    }
    // The same like as a form still works.
    const liked = await send(server.url, {
      method: "POST",
      path: `/posts/${known.postId}/like`,
      headers: {
        cookie: cookie!,
        origin: server.url,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: Buffer.from("intent=like"),
    });
    expect(liked.status).toBe(200);
  });

  it("free text with a NUL (report, appeal, review and moderation reasons) is kept without it, never a 500", async () => {
    const form = async (who: Identity, path: string, fields: Record<string, string>) => {
      const answer = await expectAnswered(who, {
        method: "POST",
        path,
        body: urlencoded(Object.entries(fields)),
      });
      expect(answer.status, `${path}: ${answer.body.slice(0, 200)}`).toBeLessThan(400);
    };
    // A newcomer's post is held for review; the newcomer appeals, an admin decides.
    const newcomer = await createUser(server.db);
    const post = await createPost(server.services, newcomer.user.id, { body: "Held for review" });
    if (!post.ok) throw new Error(post.error.message);
    const held = await server.db
      .selectFrom("rewards")
      .select(["id", "reason_code"])
      .where("user_id", "=", newcomer.user.id)
      .where("status", "=", "held")
      .executeTakeFirstOrThrow();
    const rewardId = String(held.id);

    await form("member", `/report?post=${post.value.post.id}`, { reason: "Spam\u0000 here" });
    const report = await server.db
      .selectFrom("reports")
      .select(["id", "reason"])
      .where("post_id", "=", post.value.post.id)
      .executeTakeFirstOrThrow();
    expect(report.reason).toBe("Spam here");
    await form("admin", "/admin/moderation", {
      reportId: String(report.id),
      decision: "dismiss",
      note: "Not\u0000 spam",
    });

    const author = new TestClient(server.url);
    await author.postForm("/signin", { email: newcomer.user.email, password: newcomer.password });
    // The wallet appeals a held group (one line per reason), which appeals each reward in it.
    const appeal = await author.postForm("/wallet", {
      intent: "appeal-group",
      groupKey: `held:${held.reason_code}`,
      message: "Please\u0000 look again",
    });
    expect(appeal.status).toBeLessThan(400);
    const appealed = await server.db
      .selectFrom("reward_appeals")
      .select(["message"])
      .where("reward_id", "=", held.id)
      .executeTakeFirstOrThrow();
    expect(appealed.message).toBe("Please look again");

    await form("admin", "/admin/rewards", {
      intent: "decide-appeal",
      rewardId,
      decision: "deny",
      reason: "Still\u0000 no",
    });
    const second = await createPost(server.services, newcomer.user.id, { body: "Held again" });
    if (!second.ok) throw new Error(second.error.message);
    const heldAgain = await server.db
      .selectFrom("rewards")
      .select(["id"])
      .where("user_id", "=", newcomer.user.id)
      .where("status", "=", "held")
      .where("id", "!=", held.id)
      .executeTakeFirstOrThrow();
    await form("admin", "/admin/review", {
      intent: "decide-review",
      rewardId: String(heldAgain.id),
      decision: "approve",
      reason: "Fine\u0000 by me",
    });
    const decided = await server.db
      .selectFrom("rewards")
      .select(["reason"])
      .where("id", "=", heldAgain.id)
      .executeTakeFirstOrThrow();
    expect(decided.reason).not.toContain("\u0000");

    const rule = await expectAnswered("admin", {
      method: "POST",
      path: "/admin/rewards",
      body: urlencoded(
        Object.entries({
          intent: "update-rule",
          actionKind: "like.given\u0000",
          amount: "0.01",
          amountUnit: "micro",
          holdSeconds: "0",
        }),
      ),
    });
    expect(rule.status).toBe(400);
  });

  it("an id past Postgres' bigint names nothing: 404 or a fresh page, never a 500", async () => {
    const tooBig = "9223372036854775808";
    const forms: [Identity, string, Record<string, string>][] = [
      ["admin", "/admin/moderation", { reportId: tooBig, decision: "dismiss" }],
      [
        "admin",
        "/admin/review",
        { intent: "decide-review", rewardId: tooBig, decision: "approve", reason: "Fine" },
      ],
      [
        "admin",
        "/admin/rewards",
        { intent: "decide-appeal", rewardId: tooBig, decision: "deny", reason: "Not this one" },
      ],
    ];
    for (const [who, path, fields] of forms) {
      const answer = await expectAnswered(who, {
        method: "POST",
        path,
        body: urlencoded(Object.entries(fields)),
      });
      expect(answer.status, path).toBe(404);
    }
    const page = await expectAnswered("member", { method: "GET", path: `/wallet?after=${tooBig}` });
    expect(page.status).toBe(200);
  });

  it.each(["member", "admin"] as const)(
    "no form that is right but for one field gets a 5xx (%s)",
    async (who) => {
      const { postId, commentId, handle } = known;
      // One well-formed submission per form, so the value under test gets past the intent
      // and the other fields and reaches the validation (and the database) behind them.
      const templates: [string, Record<string, string>][] = [
        ["/feed", { intent: "post", body: "Hello #fuzz" }],
        [`/p/${postId}`, { intent: "comment", body: "A reply" }],
        [`/p/${postId}`, { intent: "reply", parentId: commentId, body: "A reply" }],
        [`/p/${postId}`, { intent: "edit-post", body: "Edited" }],
        [`/p/${postId}`, { intent: "delete-comment", commentId }],
        [`/posts/${postId}/like`, { intent: "like", redirectTo: "/feed" }],
        [`/comments/${commentId}/like`, { intent: "like", redirectTo: "/feed" }],
        [`/posts/${postId}/repost`, { redirectTo: "/feed" }],
        [`/u/${handle}/follow`, { intent: "follow", redirectTo: "/feed" }],
        [`/u/${handle}/mute`, { intent: "unmute", redirectTo: "/feed" }],
        [`/report?post=${postId}`, { reason: "Spam, plainly" }],
        [`/report?comment=${commentId}`, { reason: "Spam, plainly" }],
        [`/report?user=${handle}`, { reason: "Spam, plainly" }],
        ["/settings", { displayName: "A new name" }],
        ["/settings/profile", { intent: "update-profile", displayName: "A name", bio: "A bio" }],
        ["/signin", { email: "nobody@example.com", password: "a wrong password", redirectTo: "/" }],
        [
          "/signup",
          {
            email: "f@example.com",
            handle: "fuzz_user",
            displayName: "F",
            password: "long password 1",
          },
        ],
        ["/forgot-password", { email: "nobody@example.com" }],
        ["/reset-password", { token: "abc", password: "long password 1" }],
        ["/verify-email", { token: "abc" }],
        ["/wallet", { intent: "appeal", rewardId: "1", message: "Please look again" }],
        [
          "/wallet/claim",
          { intent: "relay", address: "0x000000000000000000000000000000000000dEaD" },
        ],
        ["/wallet/link", { intent: "link", message: "a message", signature: "0x00" }],
        ["/signin/ethereum", { intent: "sign-in", message: "a message", signature: "0x00" }],
        ["/admin/moderation", { reportId: "1", decision: "dismiss", note: "Fine" }],
        [
          "/admin/review",
          { intent: "decide-review", rewardId: "1", decision: "approve", reason: "Fine" },
        ],
        [
          "/admin/rewards",
          {
            intent: "update-rule",
            actionKind: "like.given",
            amount: "0.01",
            amountUnit: "micro",
            dailyCap: "50",
            perTargetDailyCap: "",
            holdSeconds: "0",
            isEnabled: "on",
          },
        ],
        [
          "/admin/rewards",
          { intent: "decide-appeal", rewardId: "1", decision: "deny", reason: "No" },
        ],
      ];
      const oddValue = fc.oneof(
        fc.constantFrom(
          "\u0000",
          "a\u0000b",
          "%00",
          "\ud800",
          "\u202e\u0000",
          "x".repeat(100_000),
          "9223372036854775808",
          "-1",
          "1e400",
          "0x10",
          " ",
          "",
          "\ufeff",
          "null",
        ),
        rawText,
      );
      const mutated = fc
        .tuple(fc.constantFrom(...templates), oddValue, fc.nat(), fc.boolean())
        .map(([[path, fields], value, pick, isAppended]) => {
          const names = Object.keys(fields);
          const name = names[pick % names.length]!;
          const original = fields[name]!;
          return {
            path,
            fields: { ...fields, [name]: isAppended ? `${original}${value}` : value },
          };
        });
      await fc.assert(
        fc.asyncProperty(mutated, async ({ path, fields: sentFields }) => {
          await expectAnswered(who, {
            method: "POST",
            path,
            body: urlencoded(Object.entries(sentFields)),
          });
        }),
        { seed: seedOverride ?? seeds[who] + 1, numRuns: runs ?? 80, endOnFailure: true },
      );
    },
  );

  it.each(["signed-out", "member", "admin"] as const)(
    "no generated URL or form body gets a 5xx (%s)",
    async (who) => {
      const request = fc
        .constantFrom(...routePatterns)
        .chain((pattern) => {
          const names = [...pattern.matchAll(/:(\w+)/g)].map((m) => m[1]!);
          return fc.record({
            pattern: fc.constant(pattern),
            params: fc.tuple(...names.map((name) => paramValue(name, known))),
            query,
            method: fc.constantFrom("GET", "POST", "POST", "HEAD"),
            body,
            isData: fc.nat({ max: 3 }).map((n) => n === 0),
          });
        })
        .map(({ pattern, params, query: pairs, method, body: sentBody, isData }) => {
          let index = 0;
          const pagePath = pattern.replace(/:\w+/g, () => params[index++] ?? "");
          // Remix's own data requests for the same page (single fetch).
          const path = isData ? `${pagePath === "/" ? "/_root" : pagePath}.data` : pagePath;
          const search = pairs.map(([k, v]) => `${k}=${v}`).join("&");
          return {
            method,
            path: search ? `${path}?${search}` : path,
            body: method === "POST" ? sentBody : undefined,
          };
        });
      await fc.assert(
        fc.asyncProperty(request, async (sent) => {
          await expectAnswered(who, sent);
        }),
        { seed: seedOverride ?? seeds[who], numRuns: runs ?? 120, endOnFailure: true },
      );
    },
  );
});
