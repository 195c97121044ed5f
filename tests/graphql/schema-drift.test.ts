import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { printSchemaSdl } from "#graphql/schema.ts";

describe("committed GraphQL schema", () => {
  it("matches the schema the code builds (run `npm run graphql:print` after a change)", () => {
    const committed = readFileSync(
      new URL("../../graphql/schema.graphql", import.meta.url),
      "utf8",
    );
    expect(printSchemaSdl()).toBe(committed);
  });
});
