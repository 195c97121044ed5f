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

const serverOnlyPackages = [
  "@electric-sql/pglite",
  "pg",
  "kysely",
  "@node-rs/argon2",
  "graphql-yoga",
  "pino",
];

export default defineConfig(({ command }) => ({
  plugins: [
    // Server-only code must never reach a browser bundle: the build fails if it would.
    denyImports({
      client: {
        // Matched against paths relative to the project root. shared/ is the one module both
        // sides import (money as text, public ABIs, text limits) and is not listed. chain/**
        // now holds only key-holding and deploy-time code (clients that sign, deployment,
        // anvil and its dev keys, settlement, the compiler and bytecode): the public ABIs
        // that a browser wallet needs are generated into shared/abi/ instead.
        files: ["core/**", "db/**", "graphql/**", "server/**", "runtime/**", "chain/**"],
        // In dev, Remix's CSS collector probes server modules as if from the client;
        // the production build is where a real leak would be caught.
        specifiers: command === "build" ? serverOnlyPackages : [],
      },
    }),
    tailwindcss(),
    remix(remixConfig),
  ],
  // The dependency scanner reads route modules before Remix strips their server code.
  optimizeDeps: { exclude: serverOnlyPackages },
  build: { target: "es2022" },
  server: { port: 3000 },
}));
