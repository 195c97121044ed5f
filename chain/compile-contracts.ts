import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import solc from "solc";

const require = createRequire(import.meta.url);
const chainDir = path.dirname(fileURLToPath(import.meta.url));
const contractsDir = path.join(chainDir, "contracts");

/** The solc version the generated modules are pinned to (package.json pins the same). */
export const solcVersion = "0.8.37";

/**
 * Compiler settings for every contract, chosen by measuring (see chain/README.md):
 * - `cancun` rather than anvil's newer default (Osaka), so the same bytecode also runs on RPC
 *   chains that have not adopted Prague/Osaka; the measured gas is identical either way.
 * - via IR: about 800 gas less per claim and 550 per root update than the legacy pipeline.
 * - 1,000,000 optimizer runs: deployment happens once, claims all the time (10,000 runs
 *   costs 6 gas more per claim, for 10% smaller bytecode).
 */
export const compilerSettings = {
  evmVersion: "cancun",
  optimizer: { enabled: true, runs: 1_000_000 },
  viaIR: true,
} as const;

export type CompilerSettings = {
  evmVersion: string;
  optimizer: { enabled: boolean; runs: number };
  viaIR: boolean;
};

/** The contracts that get a generated module, by the file they live in. */
const contracts = [
  {
    file: "MicroToken.sol",
    name: "MicroToken",
    module: "micro-token.ts",
    exportPrefix: "microToken",
  },
  {
    file: "RewardsDistributor.sol",
    name: "RewardsDistributor",
    module: "rewards-distributor.ts",
    exportPrefix: "rewardsDistributor",
  },
] as const;

export type CompiledContract = {
  name: string;
  abi: unknown[];
  bytecode: `0x${string}`;
};

type SolcOutput = {
  errors?: { severity: "error" | "warning" | "info"; formattedMessage: string }[];
  contracts?: Record<
    string,
    Record<string, { abi: unknown[]; evm: { bytecode: { object: string } } }>
  >;
};

function sourceUnitName(file: string): string {
  return `contracts/${file}`;
}

/** Reads `@scope/package/…` imports from node_modules, so OpenZeppelin resolves offline. */
function findImport(importPath: string): { contents: string } | { error: string } {
  const match = /^(@[^/]+\/[^/]+|[^@/][^/]*)\/(.+)$/.exec(importPath);
  if (!match) return { error: `cannot resolve import "${importPath}"` };
  const [, packageName, rest] = match;
  try {
    const packageDir = path.dirname(require.resolve(`${packageName}/package.json`));
    return { contents: fs.readFileSync(path.join(packageDir, rest!), "utf8") };
  } catch (error) {
    return { error: `cannot read import "${importPath}": ${String(error)}` };
  }
}

/**
 * Compiles the Solidity sources under chain/contracts with the pinned solc. Deterministic:
 * the same sources, dependencies and settings give byte-identical output on any machine.
 */
export function compileContracts(
  settings: CompilerSettings = compilerSettings,
): CompiledContract[] {
  if (!solc.version().startsWith(`${solcVersion}+`)) {
    throw new Error(`expected solc ${solcVersion}, found ${solc.version()}`);
  }
  const sources = Object.fromEntries(
    fs
      .readdirSync(contractsDir)
      .filter((file) => file.endsWith(".sol"))
      .sort()
      .map((file) => [
        sourceUnitName(file),
        { content: fs.readFileSync(path.join(contractsDir, file), "utf8") },
      ]),
  );
  const input = {
    language: "Solidity",
    sources,
    settings: {
      evmVersion: settings.evmVersion,
      optimizer: settings.optimizer,
      viaIR: settings.viaIR,
      outputSelection: Object.fromEntries(
        contracts.map(({ file }) => [
          sourceUnitName(file),
          { "*": ["abi", "evm.bytecode.object"] },
        ]),
      ),
    },
  };
  const output = JSON.parse(
    solc.compile(JSON.stringify(input), { import: findImport }) as string,
  ) as SolcOutput;

  const problems = (output.errors ?? []).filter((e) => e.severity !== "info");
  if (problems.length > 0) {
    // Warnings fail the build too: a contract that handles money compiles cleanly.
    throw new Error(
      `solc reported problems:\n${problems.map((e) => e.formattedMessage).join("\n")}`,
    );
  }

  return contracts.map(({ file, name }) => {
    const compiled = output.contracts?.[sourceUnitName(file)]?.[name];
    if (!compiled) throw new Error(`solc produced no output for ${name} in ${file}`);
    return { name, abi: compiled.abi, bytecode: `0x${compiled.evm.bytecode.object}` };
  });
}

/** Where the generated modules go, relative to the repository root. */
export const generatedDirs = {
  /** ABIs: public, and needed by the browser too (a wallet signs the claim), so browser-safe. */
  abi: "shared/abi",
  /** Bytecode: only deployment needs it. */
  bytecode: "chain/generated",
} as const;

/**
 * The generated TypeScript modules, keyed by their path relative to the repository root:
 * each contract's ABI under shared/abi and its bytecode under chain/generated.
 * `npm run chain:build` writes them; the drift test compares them with what is committed.
 */
export function renderGeneratedModules(
  settings: CompilerSettings = compilerSettings,
): Record<string, string> {
  const compiled = compileContracts(settings);
  const described = `solc ${solcVersion}, evmVersion ${settings.evmVersion}, optimizer ${
    settings.optimizer.enabled ? `on (${settings.optimizer.runs} runs)` : "off"
  }${settings.viaIR ? ", via IR" : ""}`;
  return Object.fromEntries(
    contracts.flatMap(({ file, name, module, exportPrefix }) => {
      const contract = compiled.find((c) => c.name === name);
      if (!contract) throw new Error(`no compiled contract named ${name}`);
      const header = [
        `// Generated by chain/build-contracts.ts from chain/contracts/${file} (${described}).`,
        "// Do not edit: change the Solidity source and run `npm run chain:build`.",
        "",
      ];
      const abi = [
        ...header,
        `export const ${exportPrefix}Abi = ${JSON.stringify(contract.abi, null, 2)} as const;`,
        "",
      ].join("\n");
      const bytecode = [
        ...header,
        `export const ${exportPrefix}Bytecode =`,
        `  "${contract.bytecode}" as const;`,
        "",
      ].join("\n");
      return [
        [`${generatedDirs.abi}/${module}`, abi],
        [`${generatedDirs.bytecode}/${module}`, bytecode],
      ];
    }),
  );
}

/** The repository root, which the keys of renderGeneratedModules are relative to. */
export const repositoryRoot = path.dirname(chainDir);
