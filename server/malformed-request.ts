import type { NextFunction, Request, Response } from "express";

// Routes that read their own request body (JSON, GraphQL's encodings, uploads) and answer a
// wrong one with a 4xx themselves. Every other action reads a form with request.formData(),
// which throws (a 500) on a body that is not a form.
const ownBodyReaders = [/^\/graphql$/, /^\/games\/runs\/[^/]+$/];
// The only forms sent as multipart/form-data (the avatar upload); its reader copes with a
// broken upload, where request.formData() would throw.
const multipartPaths = new Set(["/settings/profile"]);

/**
 * Requests no page or API could make sense of are answered here with a 4xx and a plain
 * message, before Remix or Yoga trip over them and answer 500.
 */
export function refuseMalformedRequests(req: Request, res: Response, next: NextFunction) {
  const refusal = malformedRequestRefusal({
    method: req.method,
    url: req.originalUrl,
    // The Remix adapter builds the request's URL from both (the port even from an
    // X-Forwarded-Host it does not trust) and throws on one a URL cannot hold.
    hosts: [req.get("host"), req.get("x-forwarded-host")].filter((h) => h !== undefined),
    contentType: req.get("content-type") ?? null,
    hasBody: Number(req.get("content-length") ?? 0) > 0 || req.get("transfer-encoding") != null,
  });
  if (!refusal) return next();
  res.status(refusal.status).type("text/plain").send(refusal.message);
}

export type MalformedRequestRefusal = { status: 400 | 415; message: string };

/** Why the request cannot be served (status and words for the client), or null when it can. */
export function malformedRequestRefusal(request: {
  method: string;
  url: string;
  hosts: string[];
  contentType: string | null;
  hasBody: boolean;
}): MalformedRequestRefusal | null {
  const queryStart = request.url.indexOf("?");
  const path = queryStart === -1 ? request.url : request.url.slice(0, queryStart);
  try {
    // Express decodes the path to match routes and throws a URIError on a broken escape.
    decodeURIComponent(path);
  } catch {
    return badRequest(
      "the address is not valid percent-encoding of UTF-8 text (a % must start an escape like %20).",
    );
  }
  // Decoding is one pass, so the address holds a NUL exactly where it holds %00. No page takes
  // one, and Postgres refuses it in text with an error.
  if (request.url.includes("%00")) return badRequest("the address contains a NUL character (%00).");
  if (!request.hosts.every(isUrlHost)) {
    return badRequest("the Host (or X-Forwarded-Host) header is not a host name and port.");
  }
  if (request.method === "GET" || request.method === "HEAD" || !request.hasBody) return null;
  // With JavaScript on, Remix posts a page's forms to the page's path plus `.data`.
  const routePath = path.replace(/\.data$/, "");
  if (ownBodyReaders.some((pattern) => pattern.test(routePath))) return null;
  const mediaType = (request.contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (mediaType === "application/x-www-form-urlencoded") return null;
  if (mediaType === "multipart/form-data" && multipartPaths.has(routePath)) {
    if (/;\s*boundary=/i.test(request.contentType ?? "")) return null;
    return badRequest("the multipart/form-data body names no boundary.");
  }
  return {
    status: 415,
    message: `Unsupported Media Type: this address takes a form sent as application/x-www-form-urlencoded, not ${mediaType || "a body without a Content-Type"}.`,
  };
}

function badRequest(reason: string): MalformedRequestRefusal {
  return { status: 400, message: `Bad request: ${reason}` };
}

/** Whether a URL can hold `host` as its host and port. */
function isUrlHost(host: string): boolean {
  try {
    return new URL(`http://${host}/`).host !== "" && !/[/?#@\\]/.test(host);
  } catch {
    return false;
  }
}
