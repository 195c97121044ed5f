import type { Plugin } from "graphql-yoga";
import type { RequestContext } from "#runtime/request-context.ts";

/** What Yoga's `cors` option takes: false sends no CORS headers at all. */
type CorsOptions =
  | false
  | {
      origin: string[];
      methods: string[];
      allowedHeaders: string[];
      exposedHeaders: string[];
      credentials: boolean;
      maxAge: number;
    };

/**
 * CORS for /graphql: only a page on an origin in CORS_ALLOWED_ORIGINS may read answers, and
 * with the user's cookies, since the API knows people by their session cookie. Any other
 * origin gets no Access-Control-Allow-Origin at all, not even a cookie-less `*`: while a
 * cookie is how the API knows people, a cross-origin reader is either a first party the
 * operator named or nobody (an app on its own server needs no CORS). `null` (sandboxed
 * frames, file: pages) and look-alikes never match: the comparison is exact against the
 * configured origins, which config already normalised with `new URL(…).origin`.
 */
export function corsForAllowedOrigins(request: Request, serverContext?: unknown): CorsOptions {
  // Yoga types `cors`'s server context as unknown; it is the context handleGraphQLRequest passes.
  const { config } = (serverContext as RequestContext).services;
  const origin = request.headers.get("origin");
  if (origin === null || !config.corsAllowedOrigins.includes(origin)) {
    return false;
  }
  return {
    // One origin, the caller's own: browsers accept only that when credentials are on.
    origin: [origin],
    methods: ["GET", "POST"],
    allowedHeaders: ["content-type", "accept", "x-request-id"],
    exposedHeaders: ["x-request-id"],
    credentials: true,
    maxAge: 600,
  };
}

/**
 * Every /graphql answer varies by Origin (one origin gets CORS headers, another none), so a
 * cache keyed on the URL alone must not hand an allowed origin's answer to the rest.
 */
export function varyByOrigin(): Plugin {
  return {
    onResponse({ response }) {
      const vary = response.headers.get("vary");
      const names = vary ? vary.split(",").map((name) => name.trim().toLowerCase()) : [];
      if (names.includes("origin") || names.includes("*")) return;
      response.headers.set("vary", vary ? `${vary}, Origin` : "Origin");
    },
  };
}
