import { EnvelopArmorPlugin } from "@escape.tech/graphql-armor";
import { renderGraphiQL } from "@graphql-yoga/render-graphiql";
import { GraphQLError } from "graphql";
// Envelop's plugin factories are named like React hooks but are not hooks.
import { createYoga, useErrorHandler as errorHandlerPlugin, type Plugin } from "graphql-yoga";
import type { RequestContext } from "#runtime/request-context.ts";
import type { GraphQLContext } from "./context.ts";
import { corsForAllowedOrigins, varyByOrigin } from "./cross-origin.ts";
import { refuseMalformedOperations } from "./malformed-operations.ts";
import { graphiqlFor, schemaVisibility } from "./schema-visibility.ts";
import { schema } from "./schema.ts";

const defaultQuery = `# Welcome to Tributary's GraphQL API.
# Sign in on the site (or with the signIn mutation) and run:
{
  viewer {
    id
    handle
    displayName
  }
}
`;

/**
 * Whether Yoga masks this error for the client: anything but a GraphQLError raised as one
 * (a resolver's thrown Error or a database failure arrives wrapped, with an originalError
 * that is not a GraphQLError). The same test as Yoga's own default maskError.
 */
function isUnexpected(error: unknown): boolean {
  if (!(error instanceof GraphQLError)) return true;
  return error.originalError != null && isUnexpected(error.originalError);
}

/** The error itself, not GraphQL's wrapper: its stack points at the code that threw. */
function rootCause(error: unknown): unknown {
  return error instanceof GraphQLError && error.originalError != null
    ? rootCause(error.originalError)
    : error;
}

/**
 * Logs every unexpected error with the request id and stack before Yoga masks it (this
 * plugin runs before the masking one, so it still sees the original). Expected failures
 * (typed error results, validation errors) are the client's business and are not logged.
 */
function unexpectedErrorLog(): Plugin<GraphQLContext> {
  return errorHandlerPlugin(({ errors, context, phase }) => {
    // In the execution phase `context` is the execution's arguments; before it, the context.
    const ctx = (
      "contextValue" in context ? context.contextValue : context
    ) as Partial<GraphQLContext>;
    const logger = ctx.services?.logger;
    if (!logger) return;
    for (const error of errors) {
      if (!isUnexpected(error)) continue;
      logger.error(
        {
          err: rootCause(error),
          requestId: ctx.requestId,
          phase,
          path: error instanceof GraphQLError ? error.path?.join(".") : undefined,
        },
        'unexpected GraphQL error (the client saw "Unexpected error.")',
      );
    }
  }) as Plugin<GraphQLContext>;
}

const graphqlEndpoint = "/graphql";

/** One Yoga for the process; the HTTP server hands it the request's context. */
export const yoga = createYoga<GraphQLContext>({
  schema,
  graphqlEndpoint,
  landingPage: false,
  cors: corsForAllowedOrigins,
  renderGraphiQL,
  graphiql: graphiqlFor({ title: "Tributary GraphQL", defaultQuery }),
  // Unexpected errors reach the client as "Unexpected error." with no internals; the
  // server logs them with the request id (unexpectedErrorLog), not through Yoga's logger.
  maskedErrors: true,
  logging: false,
  plugins: [
    unexpectedErrorLog(),
    EnvelopArmorPlugin({
      maxDepth: { n: 12 },
      maxAliases: { n: 20 },
      maxDirectives: { n: 20 },
      maxTokens: { n: 2000 },
      // Connections cap their page size (maxSize), so this only stops pathological nesting;
      // armor counts a variable `first` as 1, so a literal `first: 50` must still fit.
      costLimit: { maxCost: 50_000 },
      // Off here: it rewrites the (cached, shared) errors for everyone, admins included;
      // schemaVisibility hides suggestions from all but admins in production instead.
      blockFieldSuggestion: { enabled: false },
    }),
    // After armor: the validation cache keys on the rules these two add.
    refuseMalformedOperations(),
    schemaVisibility(graphqlEndpoint),
    varyByOrigin(),
  ],
});

/** Runs a GraphQL request and sends back any cookies the resolvers set. */
export async function handleGraphQLRequest(
  request: Request,
  requestContext: RequestContext,
): Promise<Response> {
  const responseCookies: string[] = [];
  const response = await yoga.handleRequest(request, { ...requestContext, responseCookies });
  for (const cookie of responseCookies) response.headers.append("Set-Cookie", cookie);
  return response;
}
