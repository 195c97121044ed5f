import { EnvelopArmorPlugin } from "@escape.tech/graphql-armor";
import { renderGraphiQL } from "@graphql-yoga/render-graphiql";
import { createYoga } from "graphql-yoga";
import type { RequestContext } from "#runtime/request-context.ts";
import type { GraphQLContext } from "./context.ts";
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

/** One Yoga for the process; the HTTP server hands it the request's context. */
export const yoga = createYoga<GraphQLContext>({
  schema,
  graphqlEndpoint: "/graphql",
  landingPage: false,
  renderGraphiQL,
  graphiql: { title: "Tributary GraphQL", defaultQuery },
  // Unexpected errors reach the client as "Unexpected error." with no internals.
  maskedErrors: true,
  logging: false,
  plugins: [
    EnvelopArmorPlugin({
      maxDepth: { n: 12 },
      maxAliases: { n: 20 },
      maxDirectives: { n: 20 },
      maxTokens: { n: 2000 },
      // Connections cap their page size (maxSize), so this only stops pathological nesting;
      // armor counts a variable `first` as 1, so a literal `first: 50` must still fit.
      costLimit: { maxCost: 50_000 },
      blockFieldSuggestion: { enabled: false },
    }),
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
