const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

export type OriginVerdict = { isAllowed: true } | { isAllowed: false; reason: string };

/**
 * The same-origin rule for state-changing requests (Lucia guide, OWASP): a browser
 * always says where a request comes from, so a cross-site one is refused; a request
 * that carries our cookie but says nothing about its origin is refused too. Clients
 * that are not browsers (no cookie, no Origin) may call the API.
 */
export function verifyRequestOrigin(request: {
  method: string;
  host: string | null;
  /** The scheme this request arrived over ("http" or "https"; behind a trusted proxy, its word). */
  scheme: string;
  origin: string | null;
  secFetchSite: string | null;
  /** "navigate" for a link followed or a form submitted; "cors", "no-cors"… for a page's fetch. */
  secFetchMode?: string | null;
  hasSessionCookie: boolean;
  /** The API, which reads the session on GET as well as on POST. */
  isApi?: boolean;
  /** Origins whose pages may call this path with the user's cookie (CORS_ALLOWED_ORIGINS). */
  trustedOrigins?: readonly string[];
}): OriginVerdict {
  if (request.origin !== null && request.trustedOrigins?.includes(request.origin)) {
    return { isAllowed: true };
  }
  const site = request.secFetchSite?.toLowerCase() ?? null;
  if (safeMethods.has(request.method.toUpperCase())) {
    // A page on a sibling site (another port, another subdomain) may not read the API, but
    // its GETs still carry our Lax cookie, and one query (the discover feed) records what it
    // showed. Links and forms that navigate here are fine: they are the user's own doing.
    const isSiblingRead =
      request.isApi === true &&
      request.hasSessionCookie &&
      (site === "same-site" || site === "cross-site") &&
      request.secFetchMode?.toLowerCase() !== "navigate";
    if (isSiblingRead) {
      return {
        isAllowed: false,
        reason: `API read with a session cookie from another site's page (Sec-Fetch-Site: ${site})`,
      };
    }
    return { isAllowed: true };
  }

  if (site !== null && site !== "same-origin" && site !== "none") {
    return { isAllowed: false, reason: `cross-site request (Sec-Fetch-Site: ${site})` };
  }
  // Browsers send `Origin: null` for some same-origin navigations (e.g. a strict
  // Referrer-Policy); Sec-Fetch-Site cannot be forged by a page, so it decides.
  if (request.origin === "null" && site === "same-origin") return { isAllowed: true };
  if (request.origin !== null) {
    let origin: URL;
    try {
      origin = new URL(request.origin);
    } catch {
      return { isAllowed: false, reason: "malformed Origin header" };
    }
    // An origin is scheme and host: a page on https://host is not the site on http://host.
    const isSameOrigin =
      request.host !== null &&
      origin.protocol === `${request.scheme.toLowerCase()}:` &&
      origin.host.toLowerCase() === request.host.toLowerCase();
    if (!isSameOrigin) {
      return { isAllowed: false, reason: `Origin ${request.origin} does not match this site` };
    }
    return { isAllowed: true };
  }
  if (request.hasSessionCookie && site !== "same-origin") {
    return { isAllowed: false, reason: "request with a session cookie but no Origin header" };
  }
  return { isAllowed: true };
}

/**
 * The origin a request came to (scheme and host), for links in mail when PUBLIC_URL is
 * unset. Behind a proxy (TRUST_PROXY) the X-Forwarded-* headers say it. The Host header
 * is the client's word: set PUBLIC_URL in production so nobody can steer reset links.
 */
export function originOfRequest(request: Request, options: { trustProxy: boolean }): string {
  const url = new URL(request.url);
  const first = (value: string | null) => value?.split(",")[0]?.trim() || null;
  const host =
    (options.trustProxy ? first(request.headers.get("x-forwarded-host")) : null) ??
    request.headers.get("host") ??
    url.host;
  const scheme =
    (options.trustProxy ? first(request.headers.get("x-forwarded-proto")) : null) ??
    url.protocol.replace(/:$/, "");
  return `${scheme.toLowerCase()}://${host.toLowerCase()}`;
}
