import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { printSchemaSdl } from "./schema.ts";

// `npm run graphql:print` rewrites the committed SDL after a schema change.
const target = fileURLToPath(new URL("./schema.graphql", import.meta.url));
writeFileSync(target, printSchemaSdl());
console.log(`Wrote ${target}`);
