import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generatedDirs, renderGeneratedModules, repositoryRoot } from "#chain/compile-contracts.ts";

describe("committed contract modules", () => {
  it("match what the Solidity sources compile to (run `npm run chain:build` after a change)", () => {
    const expected = renderGeneratedModules();
    // Both folders hold generated modules only, so a stray or stale file fails too.
    const committed = Object.values(generatedDirs).flatMap((dir) =>
      fs
        .readdirSync(path.join(repositoryRoot, dir))
        .filter((file) => file.endsWith(".ts"))
        .map((file) => `${dir}/${file}`),
    );
    expect(committed.sort()).toEqual(Object.keys(expected).sort());
    for (const [file, text] of Object.entries(expected)) {
      expect(fs.readFileSync(path.join(repositoryRoot, file), "utf8"), file).toBe(text);
    }
  });
});
