import { builtinModules } from "node:module";
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/", "data/", "node_modules/", ".cache/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    // core/ is the domain: it must not reach into the doors or the process that hosts them.
    files: ["core/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            "#app/*",
            "#graphql/*",
            "#server/*",
            "**/app/**",
            "**/graphql/**",
            "**/server/**",
          ],
        },
      ],
    },
  },
  {
    // db/ and chain/ sit below the domain: they may import runtime/ (config), never core/ or above.
    files: ["db/**/*.ts", "chain/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            "#core/*",
            "#app/*",
            "#graphql/*",
            "#server/*",
            "**/core/**",
            "**/app/**",
            "**/graphql/**",
            "**/server/**",
          ],
        },
      ],
    },
  },
  {
    // The doors take the request context and services from runtime/, never from the server,
    // and call services, never a repository (a repository's row types may be imported).
    files: ["app/**/*.{ts,tsx}", "graphql/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["#server/*", "**/server/**"] }],
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["#core/**/*.repository.ts"],
              allowTypeImports: true,
              message: "Routes and resolvers call services; a repository is core's own.",
            },
          ],
        },
      ],
    },
  },
  {
    // shared/ reaches the browser: it may import only itself and browser-safe packages.
    files: ["shared/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: builtinModules.map((name) => ({
            name,
            message: "shared/ runs in the browser too: no Node built-ins.",
          })),
          patterns: [
            // Project folders only through #shared/, never ../ (gitignore globs read # as a comment).
            {
              regex: "^#(?!shared/)",
              message: "shared/ runs in the browser too: it may import only shared/.",
            },
            { regex: "^\\.\\./", message: "shared/ may import only shared/: use #shared/…" },
            { group: ["node:*"], message: "shared/ runs in the browser too: no Node built-ins." },
          ],
        },
      ],
    },
  },
  {
    // SQL lives in repositories: a capability's statements are in its *.repository.ts, the
    // schema and connections in db/, measurements in bench/. Tests may set up or corrupt state
    // directly. Opening a transaction (db.transaction()) is a service's unit of work and allowed.
    files: ["**/*.{ts,tsx}"],
    ignores: ["**/*.repository.ts", "db/**", "bench/**", "tests/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "kysely",
              importNames: ["sql", "CompiledQuery"],
              allowTypeImports: true,
              message:
                "SQL belongs in a *.repository.ts (or db/, bench/): call a repository function.",
            },
          ],
        },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector:
            "CallExpression[callee.property.name=/^(selectFrom|selectNoFrom|insertInto|replaceInto|updateTable|deleteFrom|mergeInto|executeQuery)$/]",
          message:
            "Query building belongs in a *.repository.ts (or db/, bench/): call a repository function.",
        },
      ],
    },
  },
  {
    files: ["db/migrations/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
