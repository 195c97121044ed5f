import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newPerson, type Person } from "#tests/graphql/social-fixtures.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

// CORS is about headers, not data: PGlite alone says all there is to say.

const ALLOWED = "http://app.example:8080";
const OTHER_ALLOWED = "https://partner.example";
const VIEWER_EMAIL = encodeURIComponent("{ viewer { email } }");

function corsHeaders(response: Response) {
  return {
    allowOrigin: response.headers.get("access-control-allow-origin"),
    allowCredentials: response.headers.get("access-control-allow-credentials"),
    allowMethods: response.headers.get("access-control-allow-methods"),
    allowHeaders: response.headers.get("access-control-allow-headers"),
  };
}

const noCors = {
  allowOrigin: null,
  allowCredentials: null,
  allowMethods: null,
  allowHeaders: null,
};

/** What a page on `origin` would ask before POSTing JSON to /graphql with the user's cookies. */
function preflight(server: TestServer, origin: string | null) {
  return fetch(`${server.url}/graphql`, {
    method: "OPTIONS",
    headers: {
      ...(origin === null ? {} : { origin }),
      "access-control-request-method": "POST",
      "access-control-request-headers": "content-type",
    },
  });
}

describe("CORS on /graphql with an allow-list", () => {
  let server: TestServer;
  let person: Person;
  beforeAll(async () => {
    server = await startTestServer("pglite", {
      CORS_ALLOWED_ORIGINS: `${ALLOWED}, ${OTHER_ALLOWED}`,
    });
    person = await newPerson(server);
  });
  afterAll(() => server.close());

  /** A GET query carrying the person's session cookie, as a browser's credentialed fetch. */
  function credentialedGet(origin: string | null) {
    return fetch(`${server.url}/graphql?query=${VIEWER_EMAIL}`, {
      headers: {
        cookie: person.client.sessionCookie!,
        accept: "application/json",
        ...(origin === null ? {} : { origin }),
      },
    });
  }

  it("a page on an origin outside the allow-list gets no CORS headers, so its browser hides the answer", async () => {
    const response = await credentialedGet("http://127.0.0.1:9999");
    expect(corsHeaders(response)).toEqual(noCors);
  });

  it("a preflight from an origin outside the allow-list allows nothing", async () => {
    const response = await preflight(server, "http://evil.example");
    expect(response.status).toBeLessThan(300);
    expect(corsHeaders(response)).toEqual(noCors);
  });

  it("look-alikes of an allowed origin are not allowed: other scheme, port, host suffix, null", async () => {
    for (const origin of [
      "https://app.example:8080",
      "http://app.example",
      "http://app.example:8081",
      "http://app.example:8080.evil.example",
      "http://evil.app.example:8080",
      "null",
      "*",
    ]) {
      expect(corsHeaders(await credentialedGet(origin)), origin).toEqual(noCors);
      expect(corsHeaders(await preflight(server, origin)), origin).toEqual(noCors);
    }
  });

  it("an allow-listed origin gets credentialed CORS naming itself, and the answer", async () => {
    for (const origin of [ALLOWED, OTHER_ALLOWED]) {
      const response = await credentialedGet(origin);
      expect(response.status).toBe(200);
      expect(response.headers.get("access-control-allow-origin")).toBe(origin);
      expect(response.headers.get("access-control-allow-credentials")).toBe("true");
      expect(await response.json()).toEqual({ data: { viewer: { email: person.user.email } } });
    }
  });

  it("a preflight from an allow-listed origin allows GET and POST with a JSON body, with cookies", async () => {
    const response = await preflight(server, ALLOWED);
    expect(response.status).toBeLessThan(300);
    const headers = corsHeaders(response);
    expect(headers.allowOrigin).toBe(ALLOWED);
    expect(headers.allowCredentials).toBe("true");
    expect(headers.allowMethods?.split(/,\s*/)).toEqual(expect.arrayContaining(["GET", "POST"]));
    expect(headers.allowHeaders?.toLowerCase().split(/,\s*/)).toContain("content-type");
  });

  it("an allow-listed origin's page can POST with the user's cookie; another site's page cannot", async () => {
    const post = (origin: string) =>
      fetch(`${server.url}/graphql`, {
        method: "POST",
        headers: {
          cookie: person.client.sessionCookie!,
          "content-type": "application/json",
          origin,
          "sec-fetch-site": "cross-site",
          "sec-fetch-mode": "cors",
        },
        body: JSON.stringify({ query: "{ viewer { email } }" }),
      });
    const allowed = await post(ALLOWED);
    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toEqual({ data: { viewer: { email: person.user.email } } });
    const refused = await post("http://evil.example");
    expect(refused.status).toBe(403);
    await refused.arrayBuffer();
  });

  it("a sibling site's page (another port) cannot make the API read with the user's cookie, even blind", async () => {
    const response = await fetch(`${server.url}/graphql?query=${VIEWER_EMAIL}`, {
      headers: {
        cookie: person.client.sessionCookie!,
        origin: "http://127.0.0.1:9999",
        "sec-fetch-site": "same-site",
        "sec-fetch-mode": "cors",
      },
    });
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain(person.user.email);
  });

  it("answers vary by Origin, allowed or not, so a cache never hands one origin's answer to another", async () => {
    for (const origin of [ALLOWED, "http://evil.example", null]) {
      const vary = (await credentialedGet(origin)).headers.get("vary") ?? "";
      expect(vary.toLowerCase().split(/,\s*/), String(origin)).toContain("origin");
    }
  });

  it("a client with no Origin (a server, a script) gets no CORS headers and its answer", async () => {
    const response = await credentialedGet(null);
    expect(corsHeaders(response)).toEqual(noCors);
    expect(await response.json()).toEqual({ data: { viewer: { email: person.user.email } } });
    expect(corsHeaders(await preflight(server, null))).toEqual(noCors);
  });

  it("no other route answers with CORS headers, not even to an allow-listed origin", async () => {
    const paths = ["/", "/healthz", "/signin", "/settings", "/tags/x", "/assets/x.js"];
    for (const origin of [ALLOWED, "http://evil.example"]) {
      for (const path of [...paths, ...(origin === ALLOWED ? [] : ["/graphql/"])]) {
        const response = await fetch(`${server.url}${path}`, {
          headers: { origin, cookie: person.client.sessionCookie! },
          redirect: "manual",
        });
        await response.arrayBuffer();
        expect(response.status, path).toBeLessThan(500);
        expect(corsHeaders(response), `${origin} ${path}`).toEqual(noCors);
      }
    }
  });
});

describe("CORS on /graphql by default (no allow-list)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer("pglite");
  });
  afterAll(() => server.close());

  it("no origin gets CORS headers, not even for a preflight", async () => {
    const get = await fetch(`${server.url}/graphql?query=${VIEWER_EMAIL}`, {
      headers: { origin: ALLOWED },
    });
    expect(corsHeaders(get)).toEqual(noCors);
    expect(corsHeaders(await preflight(server, ALLOWED))).toEqual(noCors);
  });
});
