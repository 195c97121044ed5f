import { GraphQLError, Kind, valueFromASTUntyped } from "graphql";
import { builder } from "../builder.ts";

const tokenAmountPattern = /^-?(0|[1-9][0-9]{0,77})$/;

function parseTokenAmount(value: unknown): bigint {
  if (typeof value !== "string" || !tokenAmountPattern.test(value)) {
    throw new GraphQLError(
      'TokenAmount must be a string of base units (an integer with up to 78 digits), e.g. "1500000000000000".',
      { extensions: { code: "BAD_USER_INPUT" } },
    );
  }
  return BigInt(value);
}

builder.scalarType("TokenAmount", {
  description:
    'An amount of MICRO in base units (18 decimals), as a string of digits so no precision is lost: "1000000000000000000" is 1 MICRO.',
  serialize: (value) => {
    if (typeof value !== "bigint") throw new Error("TokenAmount must be serialised from a bigint");
    return value.toString();
  },
  parseValue: parseTokenAmount,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) return parseTokenAmount(undefined);
    return parseTokenAmount(ast.value);
  },
});

function parseDateTime(value: unknown): Date {
  const date = typeof value === "string" ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) {
    throw new GraphQLError('DateTime must be an ISO-8601 string, e.g. "2026-11-25T12:00:00Z".', {
      extensions: { code: "BAD_USER_INPUT" },
    });
  }
  return date;
}

builder.scalarType("DateTime", {
  description: "A point in time as an ISO-8601 string in UTC.",
  serialize: (value) => value.toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

builder.scalarType("JSON", {
  description: "Any JSON value: an object, a list, a string, a number, a boolean or null.",
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables ?? undefined),
});

/** A file sent with the GraphQL multipart request spec (what graphql-yoga hands a resolver). */
type UploadedFile = { type: string; size: number; arrayBuffer: () => Promise<ArrayBuffer> };

function isUploadedFile(value: unknown): value is UploadedFile {
  if (typeof value !== "object" || value === null) return false;
  const file = value as Partial<UploadedFile>;
  return (
    typeof file.type === "string" &&
    typeof file.size === "number" &&
    typeof file.arrayBuffer === "function"
  );
}

builder.scalarType("File", {
  description:
    "A file sent with the GraphQL multipart request spec " +
    "(https://github.com/jaydenseric/graphql-multipart-request-spec). Input only.",
  serialize: () => {
    throw new Error("File is an input type only");
  },
  parseValue: (value) => {
    if (!isUploadedFile(value)) {
      throw new GraphQLError(
        "Send the file as a part of a multipart/form-data request (GraphQL multipart request spec).",
        { extensions: { code: "BAD_USER_INPUT" } },
      );
    }
    return value as unknown as File;
  },
});
