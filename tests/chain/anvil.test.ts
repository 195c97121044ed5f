import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startAnvil } from "#chain/anvil.ts";
import { anvilDeployerPrivateKey } from "#chain/anvil-accounts.ts";
import { createChainClients } from "#chain/clients.ts";
import { deployContracts, type DeployedContracts } from "#chain/deploy.ts";
import {
  balanceOf,
  claim,
  freshAddress,
  MICRO,
  proofFor,
  publishRoot,
  rewardsTree,
  totalSupply,
} from "./distributor-actions.ts";

const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "tributary-anvil-"));

afterAll(() => {
  fs.rmSync(tempDir, { recursive: true, force: true });
});

describe("embedded anvil", () => {
  it("keeps deployed contracts and balances across a stop and start with the same state file", async () => {
    const stateFile = path.join(tempDir, "chain", "anvil-state.json");
    const account = freshAddress();

    const first = await startAnvil({ stateFile });
    let blockBeforeStop: bigint;
    let contracts: DeployedContracts;
    try {
      expect(first.chainId).toBe(31337);
      const clients = await createChainClients({
        rpcUrl: first.rpcUrl,
        privateKey: anvilDeployerPrivateKey,
      });
      contracts = await deployContracts(clients);
      const tree = rewardsTree([[account, 3n * MICRO]]);
      await publishRoot(clients, contracts, 1n, tree.root as `0x${string}`, 3n * MICRO);
      await claim(clients, contracts, account, 3n * MICRO, proofFor(tree, account));
      // No cached answer: viem otherwise reuses a block number for one polling interval.
      blockBeforeStop = await clients.publicClient.getBlockNumber({ cacheTime: 0 });
    } finally {
      await first.stop();
    }
    expect(fs.existsSync(stateFile)).toBe(true);

    const second = await startAnvil({ stateFile });
    try {
      const clients = await createChainClients({
        rpcUrl: second.rpcUrl,
        privateKey: anvilDeployerPrivateKey,
      });
      expect(await clients.publicClient.getBlockNumber({ cacheTime: 0 })).toBe(blockBeforeStop);
      expect(await clients.publicClient.getCode({ address: contracts.distributor })).toMatch(
        /^0x[0-9a-f]{100,}$/,
      );
      expect(await balanceOf(clients, contracts, account)).toBe(3n * MICRO);
      expect(await totalSupply(clients, contracts)).toBe(3n * MICRO);
    } finally {
      await second.stop();
    }
  });

  it("fails loudly, with anvil's own words, when it cannot start", async () => {
    const taken = await startAnvil();
    try {
      const port = Number(new URL(taken.rpcUrl).port);
      await expect(startAnvil({ port })).rejects.toThrow(/anvil exited during start[\s\S]*in use/i);
    } finally {
      await taken.stop();
    }
  });

  it("stop() can be called twice", async () => {
    const anvil = await startAnvil();
    await anvil.stop();
    await anvil.stop();
    await expect(fetch(anvil.rpcUrl, { method: "POST" })).rejects.toThrow();
  });
});
