import fs from "node:fs/promises";
import path from "node:path";
import { getAddress, type Address } from "viem";
import type { ChainConfig } from "#runtime/config.ts";
import { anvilDeployerPrivateKey } from "./anvil-accounts.ts";
import { dumpAnvilState, startAnvil, type Anvil } from "./anvil.ts";
import { createChainClients } from "./clients.ts";
import { deployContracts } from "./deploy.ts";
import { createSettlementChain, type SettlementChain } from "./settlement-chain.ts";

export type OpenChain = {
  chain: SettlementChain;
  /** Where browsers and wallets reach the chain (the embedded anvil's loopback URL, or the RPC). */
  rpcUrl: string;
  stop: () => Promise<void>;
};

type Deployment = { chainId: number; microToken: Address; distributor: Address };

/**
 * The chain settlement runs on. Embedded: an anvil the app starts, with its state and the
 * deployed addresses under DATA_DIR/chain so both survive restarts, deploying on first
 * start (or again if the state was wiped). RPC: the configured chain and addresses.
 */
export async function openSettlementChain(
  config: Exclude<ChainConfig, { kind: "off" }>,
  dataDir: string | null,
  log: (message: string, details?: object) => void = () => {},
): Promise<OpenChain> {
  if (config.kind === "rpc") {
    const clients = await createChainClients({
      rpcUrl: config.rpcUrl,
      privateKey: config.privateKey,
    });
    const chain = createSettlementChain(
      clients,
      { distributor: config.distributor, microToken: config.microToken },
      { confirmations: config.confirmations },
    );
    return { chain, rpcUrl: config.rpcUrl, stop: async () => {} };
  }

  const chainDir = dataDir ? path.join(dataDir, "chain") : null;
  if (chainDir) {
    await fs.mkdir(chainDir, { recursive: true });
    await stopOrphanedAnvil(
      path.join(chainDir, "running.json"),
      path.join(chainDir, "anvil-state.json"),
      log,
    );
  }
  const anvil: Anvil = await startAnvil(
    chainDir ? { stateFile: path.join(chainDir, "anvil-state.json") } : {},
  );
  try {
    const clients = await createChainClients({
      rpcUrl: anvil.rpcUrl,
      privateKey: anvilDeployerPrivateKey,
    });
    const deploymentFile = chainDir ? path.join(chainDir, "deployment.json") : null;
    let deployment = deploymentFile ? await readDeployment(deploymentFile) : null;
    const hasCode = async (address: Address) =>
      ((await clients.publicClient.getCode({ address })) ?? "0x") !== "0x";
    if (
      !deployment ||
      deployment.chainId !== clients.chainId ||
      !(await hasCode(deployment.distributor)) ||
      !(await hasCode(deployment.microToken))
    ) {
      const deployed = await deployContracts(clients);
      deployment = { chainId: clients.chainId, ...deployed };
      if (deploymentFile) await fs.writeFile(deploymentFile, JSON.stringify(deployment, null, 2));
      log("deployed MicroToken and RewardsDistributor on the embedded chain", deployment);
    }
    const chain = createSettlementChain(
      clients,
      { distributor: deployment.distributor, microToken: deployment.microToken },
      { confirmations: config.confirmations },
    );
    // Lets tools (ledger:verify) reach this anvil while the app runs.
    const runningFile = chainDir ? path.join(chainDir, "running.json") : null;
    if (runningFile) {
      await fs.writeFile(
        runningFile,
        JSON.stringify({ rpcUrl: anvil.rpcUrl, pid: process.pid, anvilPid: anvil.pid }),
      );
    }
    return {
      chain,
      rpcUrl: anvil.rpcUrl,
      stop: async () => {
        if (runningFile) await fs.rm(runningFile, { force: true });
        await anvil.stop();
      },
    };
  } catch (error) {
    await anvil.stop();
    throw error;
  }
}

/**
 * For tools beside the app: the settlement chain as it is, never deploying. Embedded: the
 * running app's anvil if there is one, else an anvil loaded from the saved state (stopped
 * again by `stop`). Null when nothing was ever deployed.
 */
export async function connectToSettlementChain(
  config: Exclude<ChainConfig, { kind: "off" }>,
  dataDir: string,
): Promise<OpenChain | null> {
  if (config.kind === "rpc") return openSettlementChain(config, dataDir);
  const chainDir = path.join(dataDir, "chain");
  const deployment = await readDeployment(path.join(chainDir, "deployment.json"));
  if (!deployment) return null;
  let rpcUrl: string | null = null;
  let anvil: Anvil | null = null;
  try {
    const running = JSON.parse(await fs.readFile(path.join(chainDir, "running.json"), "utf8")) as {
      rpcUrl: string;
      pid: number;
    };
    process.kill(running.pid, 0);
    rpcUrl = running.rpcUrl;
  } catch {
    anvil = await startAnvil({ stateFile: path.join(chainDir, "anvil-state.json") });
    rpcUrl = anvil.rpcUrl;
  }
  const clients = await createChainClients({ rpcUrl, privateKey: anvilDeployerPrivateKey });
  const chain = createSettlementChain(
    clients,
    { distributor: deployment.distributor, microToken: deployment.microToken },
    { confirmations: config.confirmations },
  );
  return { chain, rpcUrl, stop: async () => void (await anvil?.stop()) };
}

type RunningChain = { rpcUrl: string; pid: number; anvilPid?: number };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * An app killed outright (SIGKILL, power cut) cannot stop its anvil, which would keep
 * dumping old state over the file the next anvil loads. If the app that wrote
 * running.json is gone but its anvil is not, stop that anvil first (it dumps on SIGTERM).
 */
async function stopOrphanedAnvil(
  runningFile: string,
  stateFile: string,
  log: (message: string, details?: object) => void,
): Promise<void> {
  let running: RunningChain;
  try {
    running = JSON.parse(await fs.readFile(runningFile, "utf8")) as RunningChain;
  } catch {
    return;
  }
  if (isAlive(running.pid) && running.pid !== process.pid) {
    throw new Error(
      `another Tributary (pid ${running.pid}) is using this DATA_DIR's embedded chain; stop it first`,
    );
  }
  const orphan = running.anvilPid;
  if (orphan && isAlive(orphan)) {
    const command = await fs.readFile(`/proc/${orphan}/cmdline`, "utf8").catch(() => "");
    if (command.includes("anvil")) {
      log("stopping the anvil a crashed app left running", { pid: orphan });
      // Its chain may be a second ahead of the file: save that first.
      await dumpAnvilState(running.rpcUrl, stateFile).catch(() => {});
      process.kill(orphan, "SIGTERM");
      for (let i = 0; i < 100 && isAlive(orphan); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      if (isAlive(orphan)) process.kill(orphan, "SIGKILL");
    }
  }
  await fs.rm(runningFile, { force: true });
}

async function readDeployment(file: string): Promise<Deployment | null> {
  try {
    const parsed = JSON.parse(await fs.readFile(file, "utf8")) as Deployment;
    return {
      chainId: Number(parsed.chainId),
      microToken: getAddress(parsed.microToken),
      distributor: getAddress(parsed.distributor),
    };
  } catch {
    return null;
  }
}
