import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generatedDir, renderGeneratedModules } from "#chain/compile-contracts.ts";

describe("committed contract modules", () => {
  it("match what the Solidity sources compile to (run `npm run chain:build` after a change)", () => {
    const expected = renderGeneratedModules();
    const committed = fs.readdirSync(generatedDir).filter((file) => file.endsWith(".ts"));
    expect(committed.sort()).toEqual(Object.keys(expected).sort());
    for (const [file, text] of Object.entries(expected)) {
      expect(fs.readFileSync(path.join(generatedDir, file), "utf8"), file).toBe(text);
    }
  });
});
