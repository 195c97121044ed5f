import SchemaBuilder from "@pothos/core";
import ErrorsPlugin from "@pothos/plugin-errors";
import RelayPlugin from "@pothos/plugin-relay";
import ScopeAuthPlugin from "@pothos/plugin-scope-auth";
import { GraphQLError } from "graphql";
import type { GraphQLContext } from "./context.ts";

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  AuthScopes: { signedIn: boolean; admin: boolean };
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
    TokenAmount: { Input: bigint; Output: bigint };
    File: { Input: File; Output: never };
    /** Any JSON value; core checks the shape of what arrives (an input log before its replay). */
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  // scope-auth before every plugin that runs code around a resolver, so authorisation comes
  // first. The errors plugin only catches, and goes before it so that an admin-only
  // mutation's refusal (adminOnly) is one of its typed errors rather than a top-level error.
  plugins: [ErrorsPlugin, ScopeAuthPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    // Check a subscription's scopes when it starts, not only on each event.
    authorizeOnSubscribe: true,
    authScopes: (context) => ({
      signedIn: context.viewer !== null,
      admin: context.viewer?.user.isAdmin === true,
    }),
    unauthorizedError: () =>
      new GraphQLError("You are not allowed to see this.", {
        extensions: { code: "FORBIDDEN" },
      }),
  },
  relay: {
    clientMutationId: "omit",
    cursorType: "String",
    nodeQueryOptions: { nullable: true },
    nodesQueryOptions: { nullable: false },
  },
  errors: { directResult: true },
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
