import { vitePlugin as remix } from "@remix-run/dev";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";
import { denyImports } from "vite-env-only";
import remixConfig from "./remix.config.js";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  plugins: [
    // Server-only code must never reach a browser bundle: the build fails if it would.
    denyImports({
      client: {
        // Matched against paths relative to the project root.
        files: ["core/**", "db/**", "graphql/**", "server/**", "chain/**"],
        specifiers: [
          "@electric-sql/pglite",
          "pg",
          "kysely",
          "@node-rs/argon2",
          "graphql-yoga",
          "pino",
        ],
      },
    }),
    tailwindcss(),
    remix(remixConfig),
  ],
  build: { target: "es2022" },
  server: { port: 3000 },
});
