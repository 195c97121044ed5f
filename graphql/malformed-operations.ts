import { GraphQLError, type ExecutionResult, type ValidationRule } from "graphql";
import type { GraphQLParams, Plugin } from "graphql-yoga";

/**
 * Deeper than any input the schema takes (the JSON scalar's run logs nest three levels);
 * deeper nesting is an attack on the recursive code that reads it.
 */
export const MAX_VARIABLES_DEPTH = 32;

/** A request nobody could mean: 400 whatever the client accepts. */
function malformed(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_REQUEST", http: { status: 400 } } });
}

/**
 * A well-formed request whose input GraphQL refuses before running it: as a validation
 * error, 400 for a client that accepts application/graphql-response+json and 200 for an
 * application/json one (GraphQL over HTTP; Yoga reads `spec: true` that way).
 */
function refusedInput(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: "BAD_USER_INPUT", http: { status: 400, spec: true } },
  });
}

function jsonParam(search: URLSearchParams, name: "variables" | "extensions"): unknown {
  const text = search.get(name);
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw malformed(
      `The "${name}" parameter is not valid JSON: send a URL-encoded JSON object such as {"id":"1"}.`,
    );
  }
}

/** Yoga's parser for query-string parameters, but bad JSON is the client's mistake, not a 500. */
function graphqlParamsOf(search: URLSearchParams): GraphQLParams {
  return {
    query: search.get("query") || undefined,
    operationName: search.get("operationName") || undefined,
    variables: jsonParam(search, "variables") as GraphQLParams["variables"],
    extensions: jsonParam(search, "extensions") as GraphQLParams["extensions"],
  };
}

function isFormPost(request: Request): boolean {
  const contentType = (request.headers.get("content-type") ?? "").split(",")[0]!.trim();
  return (
    request.method === "POST" &&
    (contentType === "application/x-www-form-urlencoded" ||
      contentType.startsWith("application/x-www-form-urlencoded;"))
  );
}

const nulRefusal = (where: string) =>
  `${where} contains the NUL character (U+0000), which no text in Tributary can hold.`;

/**
 * Refuses variables that hold a NUL anywhere (Postgres refuses it in text and in jsonb, and
 * the client would see "Unexpected error.") or nest too deeply. A walk with its own stack:
 * a recursive one is what deep nesting would overflow.
 */
export function refuseUnstorableVariables(variables: unknown): void {
  const pending: { value: unknown; path: string; depth: number }[] = [
    { value: variables, path: "", depth: 0 },
  ];
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop()!;
    if (typeof value === "string") {
      if (value.includes("\u0000")) throw refusedInput(nulRefusal(`Variable "$${path}"`));
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    if (depth > MAX_VARIABLES_DEPTH) {
      throw malformed(`Variables nest deeper than ${MAX_VARIABLES_DEPTH} levels.`);
    }
    for (const [key, child] of Object.entries(value)) {
      const childPath = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (key.includes("\u0000")) {
        throw refusedInput(nulRefusal(path ? `A key in variable "$${path}"` : "A variable name"));
      }
      pending.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
}

/** A NUL in a string literal of the document (`"\u0000"` is valid GraphQL, not storable text). */
const NoNulInText: ValidationRule = (context) => ({
  StringValue(node) {
    if (node.value.includes("\u0000")) {
      context.reportError(new GraphQLError(nulRefusal("A string value"), { nodes: node }));
    }
  },
});

function isExecutionResult(result: unknown): result is ExecutionResult {
  return typeof result === "object" && result !== null && !(Symbol.asyncIterator in result);
}

/** The same test as Yoga's for errors it shows as they are (not masked as unexpected). */
function isExpected(error: unknown): boolean {
  if (!(error instanceof GraphQLError) || error.extensions?.unexpected) return false;
  return error.originalError == null || isExpected(error.originalError);
}

/**
 * An operation refused before it ran (syntax, validation, the limits, variables) answers
 * 400 to clients that accept application/graphql-response+json: a result without `data`
 * must not be 200 for them (GraphQL over HTTP). application/json clients keep their 200.
 * The limits (graphql-armor) throw plain GraphQLErrors that Yoga would answer 200 to all.
 */
function withSpecStatus(error: GraphQLError): GraphQLError {
  if (error.extensions?.http) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, http: { status: 400, spec: true } },
  });
}

/**
 * Malformed GraphQL requests get a 4xx with a plain message, never a 500: query-string and
 * form parameters that are not JSON, text no database can store, and the GraphQL-over-HTTP
 * status for operations refused before they ran.
 */
export function refuseMalformedOperations(): Plugin {
  return {
    onRequestParse({ request, setRequestParser }) {
      // Yoga registers its parsers before ours, so ours replace them for these two kinds.
      if (request.method === "GET") {
        setRequestParser((req) => graphqlParamsOf(new URL(req.url).searchParams));
      } else if (isFormPost(request)) {
        setRequestParser(async (req) => graphqlParamsOf(new URLSearchParams(await req.text())));
      }
    },
    onParams({ params }) {
      refuseUnstorableVariables(params.variables);
    },
    onValidate({ addValidationRule }) {
      addValidationRule(NoNulInText);
    },
    onResultProcess({ result, setResult }) {
      if (!isExecutionResult(result) || "data" in result || !result.errors?.length) return;
      if (!result.errors.every(isExpected)) return;
      setResult({ ...result, errors: result.errors.map(withSpecStatus) });
    },
  };
}
