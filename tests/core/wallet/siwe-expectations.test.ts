import { describe, expect, it } from "vitest";
import { generateNonce, siweExpectationsFromRequest } from "#core/wallet/siwe.ts";

function request(url: string, headers: Record<string, string> = {}) {
  return new Request(url, { headers });
}

describe("where a Sign-In with Ethereum message must point", () => {
  it("is the Host the request came to, with the request's scheme", () => {
    const expected = siweExpectationsFromRequest(
      request("http://127.0.0.1:4123/wallet/link", { host: "127.0.0.1:4123" }),
      { trustProxy: false },
    );
    expect(expected).toEqual({ domain: "127.0.0.1:4123", origin: "http://127.0.0.1:4123" });
  });

  it("ignores X-Forwarded-* unless the proxy is trusted", () => {
    const proxied = request("http://10.0.0.5:3000/graphql", {
      host: "10.0.0.5:3000",
      "x-forwarded-host": "tributary.example, 10.0.0.1",
      "x-forwarded-proto": "https",
    });
    expect(siweExpectationsFromRequest(proxied, { trustProxy: false })).toEqual({
      domain: "10.0.0.5:3000",
      origin: "http://10.0.0.5:3000",
    });
    expect(siweExpectationsFromRequest(proxied, { trustProxy: true })).toEqual({
      domain: "tributary.example",
      origin: "https://tributary.example",
    });
  });

  it("compares hosts case-insensitively", () => {
    expect(
      siweExpectationsFromRequest(
        request("https://Tributary.Example/", { host: "Tributary.Example" }),
        {
          trustProxy: false,
        },
      ).domain,
    ).toBe("tributary.example");
  });
});

describe("SIWE nonces", () => {
  it("are 24 alphanumeric characters (120 bits) and do not repeat", () => {
    const nonces = new Set(Array.from({ length: 1000 }, generateNonce));
    expect(nonces.size).toBe(1000);
    for (const nonce of nonces) expect(nonce).toMatch(/^[a-z2-9]{24}$/);
  });
});
