import type { RequestContext } from "#runtime/request-context.ts";

/** Per-request GraphQL context: the HTTP server's context plus cookies to send back. */
export type GraphQLContext = RequestContext & {
  /** Set-Cookie values the resolvers want on the response (sign-in, sign-out). */
  responseCookies: string[];
};
