import {
  GraphQLError,
  getNamedType,
  isIntrospectionType,
  type ExecutionResult,
  type ValidationRule,
} from "graphql";
import type { Plugin } from "graphql-yoga";
import type { RequestContext } from "#runtime/request-context.ts";

/**
 * Who may explore the schema (introspection, "Did you mean" suggestions, GraphiQL): anyone
 * outside production, and admins in production. Our own pages are the first-party clients
 * and need none of it at run time: they call core/ directly, and their few GraphQL
 * documents (the SSE subscriptions) are fixed and typed against the committed
 * graphql/schema.graphql, which is also what third-party developers read.
 */
export function isSchemaOpenTo(context: Pick<RequestContext, "services" | "viewer">): boolean {
  return context.services.config.nodeEnv !== "production" || context.viewer?.user.isAdmin === true;
}

/** graphql-js's NoSchemaIntrospectionCustomRule, saying who may and where else to look. */
const IntrospectionForAdminsOnly: ValidationRule = (context) => ({
  Field(node) {
    const type = getNamedType(context.getType());
    if (type && isIntrospectionType(type)) {
      context.reportError(
        new GraphQLError(
          `Introspection is open to admins only on this server ("${node.name.value}"); ` +
            "the schema is published as graphql/schema.graphql.",
          { nodes: node },
        ),
      );
    }
  },
});

// graphql-js's wording: `Did you mean "viewer" or "user"?`, `Did you mean the enum value "WEEK"?`.
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/** A copy without the suggestions: errors may be cached (by document) and shared. */
function withoutSuggestions(error: GraphQLError): GraphQLError {
  if (!error.message.includes("Did you mean")) return error;
  return new GraphQLError(error.message.replace(SUGGESTION, ""), {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
}

function isExecutionResult(result: unknown): result is ExecutionResult {
  return typeof result === "object" && result !== null && !(Symbol.asyncIterator in result);
}

const graphiqlRefusal = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>GraphiQL is for admins</title></head>
<body>
<h1>GraphiQL is for admins</h1>
<p>On this server GraphiQL, the in-browser explorer, is served to admins only.
<a href="/signin?redirectTo=%2Fgraphql">Sign in</a> as an admin to use it.</p>
<p>Apps send their GraphQL requests to <code>POST /graphql</code>; the schema is published as
<code>graphql/schema.graphql</code> with the source.</p>
</body>
</html>
`;

/** Whether this is a browser asking for GraphiQL (Yoga's own test: a GET that accepts HTML). */
function asksForGraphiQL(request: Request, url: URL, endpoint: string): boolean {
  return (
    request.method === "GET" &&
    (request.headers.get("accept") ?? "").includes("text/html") &&
    (url.pathname === endpoint || url.pathname === `${endpoint}/`)
  );
}

/**
 * In production, only admins may introspect, get field and enum suggestions, or load
 * GraphiQL (a 9 MB page); everyone else gets the errors without the hints and a short page
 * saying GraphiQL is for admins. Pair it with `graphiql: graphiqlFor(...)` on Yoga.
 */
export function schemaVisibility(endpoint: string): Plugin<object, RequestContext> {
  return {
    onRequest({ request, url, serverContext, endResponse, fetchAPI }) {
      if (!asksForGraphiQL(request, url, endpoint) || isSchemaOpenTo(serverContext)) return;
      endResponse(
        new fetchAPI.Response(graphiqlRefusal, {
          status: 403,
          headers: { "content-type": "text/html; charset=utf-8" },
        }),
      );
    },
    onValidate({ context, addValidationRule }) {
      // The validation cache is keyed by the rules' names, so members' and admins' verdicts
      // on one document are cached apart.
      if (!isSchemaOpenTo(context as unknown as RequestContext)) {
        addValidationRule(IntrospectionForAdminsOnly);
      }
    },
    onResultProcess({ result, setResult, serverContext }) {
      if (isSchemaOpenTo(serverContext) || !isExecutionResult(result) || !result.errors) return;
      setResult({ ...result, errors: result.errors.map(withoutSuggestions) });
    },
  };
}

/** Yoga's `graphiql` option: GraphiQL for those the schema is open to, nothing for others. */
export function graphiqlFor<Options extends object>(options: Options) {
  return (_request: Request, context: RequestContext): Options | false =>
    isSchemaOpenTo(context) ? options : false;
}
