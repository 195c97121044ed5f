import type { ClientInfo } from "#core/auth/account.service.ts";
import type { ValidatedSession } from "#core/auth/session.service.ts";
import type { AppServices } from "./app-services.ts";

/**
 * What every loader, action and GraphQL resolver receives from the HTTP server:
 * the process's services, the already-validated session, and who is calling.
 */
export type RequestContext = {
  services: AppServices;
  requestId: string;
  client: ClientInfo;
  viewer: ValidatedSession | null;
  /** This response's Content-Security-Policy nonce: every inline script must carry it. */
  cspNonce: string;
};

declare module "@remix-run/node" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging
  interface AppLoadContext extends RequestContext {}
}
