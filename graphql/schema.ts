import { lexicographicSortSchema, printSchema } from "graphql";
import { builder } from "./builder.ts";
import "./types/scalars.ts";
import "./types/errors.ts";
import "./types/user.ts";
import "./types/auth.ts";
import "./types/wallet.ts";
import "./types/rewards.ts";
import "./types/wallet-link.ts";
import "./types/settlement.ts";
import "./types/profile.ts";

export const schema = builder.toSchema();

/** The SDL committed as graphql/schema.graphql; a test fails when the two drift apart. */
export function printSchemaSdl(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
