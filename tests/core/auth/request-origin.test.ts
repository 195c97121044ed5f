import { describe, expect, it } from "vitest";
import { verifyRequestOrigin } from "#core/auth/request-origin.ts";

const base = {
  method: "POST",
  host: "tributary.example:3000",
  scheme: "http",
  origin: null,
  secFetchSite: null,
  hasSessionCookie: false,
};

describe("same-origin rule for state-changing requests", () => {
  it("lets reads through from anywhere", () => {
    expect(
      verifyRequestOrigin({
        ...base,
        method: "GET",
        origin: "https://evil.example",
        secFetchSite: "cross-site",
        hasSessionCookie: true,
      }).isAllowed,
    ).toBe(true);
  });

  it("accepts a POST whose Origin matches the host", () => {
    expect(
      verifyRequestOrigin({
        ...base,
        origin: "http://tributary.example:3000",
        hasSessionCookie: true,
      }).isAllowed,
    ).toBe(true);
  });

  it("refuses a POST from another origin, with or without a cookie", () => {
    for (const hasSessionCookie of [true, false]) {
      const verdict = verifyRequestOrigin({
        ...base,
        origin: "https://evil.example",
        hasSessionCookie,
      });
      expect(verdict).toEqual({
        isAllowed: false,
        reason: "Origin https://evil.example does not match this site",
      });
    }
  });

  it("refuses an Origin with the same host but another scheme (https page posting to the http site)", () => {
    expect(verifyRequestOrigin({ ...base, origin: "https://tributary.example:3000" })).toEqual({
      isAllowed: false,
      reason: "Origin https://tributary.example:3000 does not match this site",
    });
    expect(
      verifyRequestOrigin({
        ...base,
        scheme: "https",
        host: "tributary.example",
        origin: "https://tributary.example",
      }).isAllowed,
    ).toBe(true);
  });

  it("lets an allow-listed origin post to the API with the user's cookie, even from a sibling site", () => {
    const fromPartner = {
      ...base,
      origin: "https://partner.example",
      secFetchSite: "cross-site",
      hasSessionCookie: true,
    };
    expect(
      verifyRequestOrigin({ ...fromPartner, trustedOrigins: ["https://partner.example"] })
        .isAllowed,
    ).toBe(true);
    expect(verifyRequestOrigin({ ...fromPartner, trustedOrigins: [] }).isAllowed).toBe(false);
  });

  it("refuses an API read that carries the cookie from a sibling site's page, but not a navigation", () => {
    const siblingRead = {
      ...base,
      method: "GET",
      isApi: true,
      secFetchSite: "same-site",
      secFetchMode: "cors",
      hasSessionCookie: true,
    };
    expect(verifyRequestOrigin(siblingRead)).toEqual({
      isAllowed: false,
      reason: "API read with a session cookie from another site's page (Sec-Fetch-Site: same-site)",
    });
    expect(verifyRequestOrigin({ ...siblingRead, secFetchMode: "navigate" }).isAllowed).toBe(true);
    expect(verifyRequestOrigin({ ...siblingRead, hasSessionCookie: false }).isAllowed).toBe(true);
    expect(verifyRequestOrigin({ ...siblingRead, isApi: false }).isAllowed).toBe(true);
    expect(verifyRequestOrigin({ ...siblingRead, secFetchSite: "same-origin" }).isAllowed).toBe(
      true,
    );
  });

  it("refuses a cross-site or same-site (sibling subdomain) fetch by Sec-Fetch-Site", () => {
    expect(verifyRequestOrigin({ ...base, secFetchSite: "cross-site" }).isAllowed).toBe(false);
    expect(verifyRequestOrigin({ ...base, secFetchSite: "same-site" }).isAllowed).toBe(false);
  });

  it("refuses a cookie-carrying POST that hides its origin", () => {
    expect(verifyRequestOrigin({ ...base, hasSessionCookie: true }).isAllowed).toBe(false);
    expect(verifyRequestOrigin({ ...base, hasSessionCookie: true, origin: "null" }).isAllowed).toBe(
      false,
    );
  });

  it("accepts Origin: null when the browser vouches the request is same-origin", () => {
    const verdict = verifyRequestOrigin({
      ...base,
      origin: "null",
      secFetchSite: "same-origin",
      hasSessionCookie: true,
    });
    expect(verdict.isAllowed).toBe(true);
    expect(
      verifyRequestOrigin({ ...base, origin: "null", secFetchSite: "cross-site" }).isAllowed,
    ).toBe(false);
  });

  it("allows API clients that are not browsers: no cookie, no Origin", () => {
    expect(verifyRequestOrigin(base).isAllowed).toBe(true);
  });

  it("refuses a malformed Origin", () => {
    expect(verifyRequestOrigin({ ...base, origin: "not a url" }).isAllowed).toBe(false);
  });
});
