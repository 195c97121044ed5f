/**
 * `npm run chain:build`: compiles chain/contracts/*.sol with the pinned solc and writes the
 * typed `as const` ABI modules under shared/abi/ and the bytecode modules under
 * chain/generated/. Commit the result; the drift test fails when they no longer match the
 * sources.
 */
import fs from "node:fs";
import path from "node:path";
import { renderGeneratedModules, repositoryRoot } from "./compile-contracts.ts";

const modules = renderGeneratedModules();
for (const [file, text] of Object.entries(modules)) {
  const target = path.join(repositoryRoot, file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const unchanged = fs.existsSync(target) && fs.readFileSync(target, "utf8") === text;
  if (!unchanged) fs.writeFileSync(target, text);
  console.log(`${unchanged ? "unchanged" : "wrote"} ${path.relative(process.cwd(), target)}`);
}
