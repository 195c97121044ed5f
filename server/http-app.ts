import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import type { ServerBuild } from "@remix-run/node";
import express, { type NextFunction, type Request, type Response } from "express";
import helmet from "helmet";
import { verifyRequestOrigin } from "#core/auth/request-origin.ts";
import {
  clearedSessionCookie,
  readSessionToken,
  sessionCookie,
} from "#core/auth/session-cookie.ts";
import { validateSessionToken, type SessionToken } from "#core/auth/session.service.ts";
import { pingDatabase } from "#db/health.ts";
import { refuseMalformedRequests } from "./malformed-request.ts";
import type { RequestContext } from "#runtime/request-context.ts";
import type { AppServices } from "#runtime/app-services.ts";
import { AVATAR_UPLOAD_MAX_BYTES } from "#core/profiles/avatar-image.ts";

// Forms and GraphQL documents are small; anything bigger is a mistake or an attack.
export const MAX_BODY_BYTES = 1024 * 1024;
/** Multipart uploads (avatars) may carry a file up to the avatar limit plus form overhead. */
export const MAX_UPLOAD_BODY_BYTES = AVATAR_UPLOAD_MAX_BYTES + 64 * 1024;
// With JavaScript on, Remix posts a form to its page's path plus `.data`.
const uploadPaths = new Set(["/settings/profile", "/settings/profile.data", "/graphql"]);

type Locals = {
  requestId: string;
  viewer: RequestContext["viewer"];
  cspNonce: RequestContext["cspNonce"];
};

export type ServerBuildSource = { mode: "production"; buildDir: string } | { mode: "development" };

export async function createHttpApp(
  services: AppServices,
  source: ServerBuildSource,
): Promise<express.Express> {
  const { config, logger } = services;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.trustProxy);
  app.use((_req: Request, res: Response<unknown, Locals>, next: NextFunction) => {
    res.locals.cspNonce = randomBytes(16).toString("base64");
    next();
  });
  app.use(
    helmet({
      // Set below, per path and in production only: Vite's development server injects
      // scripts, styles and an HMR socket of its own.
      contentSecurityPolicy: false,
      crossOriginEmbedderPolicy: false,
      // helmet's default (no-referrer) makes browsers send `Origin: null` on form posts.
      referrerPolicy: { policy: "strict-origin-when-cross-origin" },
    }),
  );
  if (source.mode === "production") {
    const pagePolicy = helmet.contentSecurityPolicy({ useDefaults: false, directives: pageCsp });
    const graphiqlPolicy = helmet.contentSecurityPolicy({
      useDefaults: false,
      directives: graphiqlCsp,
    });
    // Only /graphql serves GraphiQL (matched as Remix matches routes: any case, a trailing
    // slash); its other answers are JSON, where a policy is inert.
    app.use((req, res, next) =>
      (/^\/graphql\/?$/i.test(req.path) ? graphiqlPolicy : pagePolicy)(req, res, next),
    );
  }
  app.use(compression({ filter: isWorthCompressing }));

  app.use((req: Request, res: Response<unknown, Locals>, next: NextFunction) => {
    const incoming = req.get("x-request-id");
    const requestId = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = requestId;
    res.setHeader("x-request-id", requestId);
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info(
        { requestId, method: req.method, url: req.originalUrl, status: res.statusCode, ms },
        "request",
      );
    });
    next();
  });

  app.get("/healthz", async (_req, res) => {
    try {
      await pingDatabase(services.db);
      res.json({ status: "ok", database: "ok" });
    } catch (error) {
      logger.error({ err: error }, "health check failed");
      res.status(503).json({ status: "unavailable", database: "unreachable" });
    }
  });

  // Development hands Remix a function so each request sees Vite's latest modules; in
  // production Remix gets the build itself, because given a function it recompiles its
  // route table on every request (about a fifth of a small request's CPU).
  let build: ServerBuild | (() => Promise<ServerBuild>);
  if (source.mode === "development") {
    const vite = await import("vite").then((v) =>
      v.createServer({ server: { middlewareMode: true } }),
    );
    app.use(vite.middlewares);
    build = () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
  } else {
    const clientDir = path.join(source.buildDir, "client");
    app.use(
      "/assets",
      express.static(path.join(clientDir, "assets"), { immutable: true, maxAge: "1y" }),
    );
    app.use(express.static(clientDir, { maxAge: "1h" }));
    const serverBuildPath = path.join(source.buildDir, "server", "index.js");
    build = (await import(serverBuildPath)) as ServerBuild;
  }

  app.use(limitBodySize);
  app.use(refuseMalformedRequests);
  app.use(guardRequestOrigin(services));
  app.use(loadSession(services));

  app.all(
    "*",
    createRequestHandler({
      build,
      mode: source.mode,
      getLoadContext: (req, res): RequestContext => ({
        services,
        requestId: (res.locals as Locals).requestId,
        client: { ip: req.ip ?? null, userAgent: req.get("user-agent") ?? null },
        viewer: (res.locals as Locals).viewer,
        cspNonce: (res.locals as Locals).cspNonce,
      }),
    }),
  );
  app.use(apologiseForErrors(services));
  return app;
}

type Directives = Record<string, Iterable<string | ((req: unknown, res: unknown) => string)>>;

const nonceSource = (_req: unknown, res: unknown) =>
  `'nonce-${(res as Response<unknown, Locals>).locals.cspNonce}'`;

/**
 * The site's pages: scripts only from this origin and inline ones carrying the response's
 * nonce (Remix's hand-off and module scripts, React's streamed ones). Not 'strict-dynamic':
 * every script we run is our own file, and 'strict-dynamic' would let any script that a
 * trusted one inserts run without the nonce (a script-injection gadget's way in). 'self' is
 * safe here because uploads are served only as images (with nosniff), never as scripts.
 */
const pageCsp: Directives = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'", nonceSource],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
  // The game stage's size and the quests' progress bars are style attributes in the HTML
  // (refused without this, as the CSP e2e test shows). Attribute styles cannot run script.
  styleSrcAttr: ["'unsafe-inline'"],
  // Avatars and media are ours; Phaser's built-in textures are data: URLs.
  imgSrc: ["'self'", "data:", "blob:"],
  fontSrc: ["'self'"],
  // fetches, GraphQL over SSE (reward toasts); the browser wallet is window.ethereum.
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
};

/**
 * GraphiQL is one page with everything inline: a nonce-carrying script, a style element
 * and the many its editor (Monaco) adds as it runs, fonts as data: URLs, and workers made
 * from blob: URLs.
 */
const graphiqlCsp: Directives = {
  ...pageCsp,
  scriptSrc: [nonceSource],
  styleSrc: ["'self'", "'unsafe-inline'"],
  fontSrc: ["'self'", "data:"],
  workerSrc: ["blob:"],
};

/**
 * Event streams go out as they are: a compressor would hold events back until its buffer
 * filled (Yoga also marks them `Content-Encoding: none`, which compression respects).
 */
function isWorthCompressing(req: Request, res: Response): boolean {
  const type = String(res.getHeader("Content-Type") ?? "");
  if (type.startsWith("text/event-stream")) return false;
  return compression.filter(req, res);
}

function limitBodySize(req: Request, res: Response, next: NextFunction) {
  if (req.method === "GET" || req.method === "HEAD") return next();
  const length = req.get("content-length");
  if (length === undefined && req.get("transfer-encoding")) {
    res.status(411).type("text/plain").send("Send a Content-Length header with the request body.");
    return;
  }
  const isUpload =
    uploadPaths.has(req.path) && (req.get("content-type") ?? "").startsWith("multipart/form-data");
  const limit = isUpload ? MAX_UPLOAD_BODY_BYTES : MAX_BODY_BYTES;
  if (length !== undefined && Number(length) > limit) {
    res
      .status(413)
      .type("text/plain")
      .send(`Request body too large: at most ${limit} bytes are accepted.`);
    return;
  }
  next();
}

function guardRequestOrigin(services: AppServices) {
  return (req: Request, res: Response<unknown, Locals>, next: NextFunction) => {
    // Remix matches routes in any case and with a trailing slash.
    const isApi = /^\/graphql\/?$/i.test(req.path);
    const verdict = verifyRequestOrigin({
      method: req.method,
      host: req.get("host") ?? null,
      // req.protocol honours X-Forwarded-Proto only when TRUST_PROXY is on.
      scheme: req.protocol,
      origin: req.get("origin") ?? null,
      secFetchSite: req.get("sec-fetch-site") ?? null,
      secFetchMode: req.get("sec-fetch-mode") ?? null,
      hasSessionCookie: readSessionToken(req.get("cookie")) !== null,
      isApi,
      // CORS (graphql/cross-origin.ts) lets these pages read the API; this lets them write.
      trustedOrigins: isApi ? services.config.corsAllowedOrigins : [],
    });
    if (verdict.isAllowed) {
      // This guard is the authority on where a request came from. Remix checks again, more
      // simply (it throws on `Origin: null` and believes any X-Forwarded-Host): hand it only
      // what the guard stands behind, so a post let through here is never a 500 there.
      if (req.headers.origin === "null") delete req.headers.origin;
      if (!services.config.trustProxy) delete req.headers["x-forwarded-host"];
      return next();
    }
    services.logger.warn(
      { requestId: res.locals.requestId, reason: verdict.reason },
      "refused cross-origin request",
    );
    res
      .status(403)
      .type("text/plain")
      .send("Forbidden: this request did not come from Tributary's own pages.");
  };
}

function loadSession(services: AppServices) {
  const { config, db } = services;
  return async (req: Request, res: Response<unknown, Locals>, next: NextFunction) => {
    res.locals.viewer = null;
    const token = readSessionToken(req.get("cookie"));
    if (!token) return next();
    try {
      const validated = await validateSessionToken(db, config.session, token);
      if (!validated) {
        res.append("Set-Cookie", clearedSessionCookie(config.cookieSecure));
      } else {
        res.locals.viewer = validated;
        if (validated.isRenewed) {
          res.append(
            "Set-Cookie",
            sessionCookie(
              { token: token as SessionToken, session: validated.session },
              config.cookieSecure,
            ),
          );
        }
      }
      next();
    } catch (error) {
      next(error);
    }
  };
}

/** Last resort: log with the request id, show a plain apology, never internals. */
export function apologiseForErrors(services: AppServices) {
  return (error: unknown, _req: Request, res: Response<unknown, Locals>, next: NextFunction) => {
    services.logger.error({ err: error, requestId: res.locals.requestId }, "unhandled error");
    if (res.headersSent) return next(error);
    res
      .status(500)
      .type("text/plain")
      .send(`Sorry, something went wrong on our side. (request ${res.locals.requestId})`);
  };
}
