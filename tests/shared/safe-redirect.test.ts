import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { REDIRECT_PATH_MAX_LENGTH, safeRedirectPath } from "#shared/safe-redirect.ts";

const SITE = "https://tributary.example/some/page";

/** Where a browser on one of our pages goes when it is redirected to `location`. */
function browserDestination(location: string): URL {
  return new URL(location, SITE);
}

// Each of these, sent as a Location header, takes a browser to another site (or runs script).
const hostile = [
  "//evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r/evil.example",
  "/\r\n/evil.example",
  "\t//evil.example",
  "/\t\t/evil.example",
  "/\\evil.example",
  "\\/evil.example",
  "\\\\evil.example",
  "/\\\t\\evil.example",
  " //evil.example",
  "\u0000//evil.example",
  "\u001f//evil.example",
  "\u0001\u0002 /\\evil.example",
  "https:evil.example",
  "https://evil.example/",
  "HTTPS://evil.example",
  "http://evil.example",
  "ftp://evil.example/",
  "https:/\\evil.example",
  "//evil.example/%2f..",
  "///evil.example",
  "////evil.example",
  "/..//evil.example",
  "/.//evil.example",
  "/%2e%2e//evil.example",
  "/%2E//evil.example",
  "/a/..//evil.example",
  "/a/../..//evil.example",
  "javascript:alert(1)",
  " javascript:alert(1)",
  "java\tscript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "vbscript:msgbox(1)",
  "//user@evil.example",
  "https://tributary.example@evil.example/",
  "//evil.example\\@tributary.example/",
  "/\\/evil.example",
  "\\\\/evil.example",
];

describe("safeRedirectPath", () => {
  it.each(hostile)("never sends a browser off the site for %j", (value) => {
    const path = safeRedirectPath(value);
    expect(browserDestination(path).origin).toBe(new URL(SITE).origin);
    expect(path.startsWith("/")).toBe(true);
    expect(path.startsWith("//")).toBe(false);
    expect([...path].some((c) => c <= " " || c === "\u007f" || c === "\\")).toBe(false);
  });

  it("refuses what a browser would read as another host, falling back to the home page", () => {
    for (const value of [
      "/\t/evil.example",
      "/\\evil.example",
      "https:evil.example",
      "/..//evil",
    ]) {
      expect(safeRedirectPath(value)).toBe("/");
    }
  });

  it("keeps an ordinary path, its query and its fragment as they are", () => {
    expect(safeRedirectPath("/settings")).toBe("/settings");
    expect(safeRedirectPath("/p/42#comments")).toBe("/p/42#comments");
    expect(safeRedirectPath("/tags/cats?cursor=abc&x=1")).toBe("/tags/cats?cursor=abc&x=1");
    expect(safeRedirectPath("/u/alice/followers")).toBe("/u/alice/followers");
    expect(safeRedirectPath("/")).toBe("/");
  });

  it("answers a path a browser would reach, normalised as the browser does", () => {
    // The browser removes tabs and newlines inside a URL, and reads a backslash as a slash.
    expect(safeRedirectPath("/set\ttings")).toBe("/settings");
    expect(safeRedirectPath("/set\r\ntings")).toBe("/settings");
    expect(safeRedirectPath("/a\\b")).toBe("/a/b");
    expect(safeRedirectPath("/a/../b")).toBe("/b");
    expect(safeRedirectPath("  /settings  ")).toBe("/settings");
  });

  it("keeps percent-encoded slashes, backslashes and controls encoded, where a browser leaves them", () => {
    // A browser does not decode these in a path, so they stay a path on this site.
    for (const value of [
      "/%2f/evil.example",
      "/%5c/evil.example",
      "/%09/evil.example",
      "/%0d%0a/x",
    ]) {
      const path = safeRedirectPath(value);
      expect(path).toBe(value);
      expect(browserDestination(path).origin).toBe(new URL(SITE).origin);
    }
  });

  it("percent-encodes what a header may not carry, so a redirect cannot inject a header", () => {
    const path = safeRedirectPath("/x?a=1#b\r\nSet-Cookie: evil=1");
    expect(path).not.toMatch(/[\r\n]/);
    expect(() => new Headers({ location: path })).not.toThrow();
    expect(safeRedirectPath("/é ü")).toBe("/%C3%A9%20%C3%BC");
  });

  it("treats look-alike slashes as ordinary characters of a path on this site", () => {
    for (const value of [
      "/\uff0f/evil.example",
      "\uff0f\uff0fevil.example",
      "/\u2215/evil.example",
      "/\u29f8evil.example",
    ]) {
      const path = safeRedirectPath(value);
      expect(path.startsWith("/%")).toBe(true);
      expect(browserDestination(path).origin).toBe(new URL(SITE).origin);
    }
  });

  it("sends nothing but a string anywhere but home, and refuses absurdly long values", () => {
    expect(safeRedirectPath(null)).toBe("/");
    expect(safeRedirectPath(undefined)).toBe("/");
    expect(safeRedirectPath("")).toBe("/");
    expect(safeRedirectPath(new File(["x"], "x.txt"))).toBe("/");
    expect(safeRedirectPath(`/${"a".repeat(REDIRECT_PATH_MAX_LENGTH)}`)).toBe("/");
    expect(safeRedirectPath(`/${"a".repeat(100)}`)).toBe(`/${"a".repeat(100)}`);
  });

  it("whatever it is given, answers a path that stays on the site and is a valid header", () => {
    const pieces = fc.constantFrom(
      "/",
      "\\",
      "//",
      "\t",
      "\n",
      "\r",
      " ",
      "\u0000",
      "\u001f",
      ".",
      "..",
      "%2f",
      "%5c",
      "%2e",
      "%09",
      "%0d%0a",
      "@",
      ":",
      "?",
      "#",
      "evil.example",
      "https:",
      "javascript:",
      "\uff0f",
      "é",
    );
    const values = fc.oneof(
      fc.array(pieces, { maxLength: 12 }).map((parts) => parts.join("")),
      fc.string({ unit: "binary", maxLength: 40 }),
    );
    fc.assert(
      fc.property(values, (value) => {
        const path = safeRedirectPath(value);
        expect(browserDestination(path).origin).toBe(new URL(SITE).origin);
        expect(path.startsWith("/") && !path.startsWith("//")).toBe(true);
        expect(() => new Headers({ location: path })).not.toThrow();
      }),
      { seed: 16_2, numRuns: 2000 },
    );
  });
});
