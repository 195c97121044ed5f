import { defineConfig } from "vitest/config";

export default defineConfig({
  // One copy of graphql-js: Pothos and our code must share its classes.
  resolve: { alias: { graphql: "graphql/index.js" } },
  test: {
    // Every test file starts without the developer's configuration and with a data directory
    // of its own: never the checkout's ./data, never DATABASE_URL or CHAIN_* from the shell.
    setupFiles: ["tests/support/isolated-environment.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "core",
          include: [
            "tests/core/**/*.test.ts",
            "tests/runtime/**/*.test.ts",
            "tests/db/**/*.test.ts",
            "tests/games/**/*.test.ts",
            "tests/shared/**/*.test.ts",
          ],
          environment: "node",
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: "http",
          include: ["tests/graphql/**/*.test.ts", "tests/web/**/*.test.ts"],
          environment: "node",
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          // Suites that start a real anvil: contracts, settlement epochs, wallet linking.
          name: "chain",
          include: ["tests/chain/**/*.test.ts", "tests/settlement/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
