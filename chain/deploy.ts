import { getAddress, type Abi, type Address, type Hash } from "viem";
import { type ChainClients } from "./clients.ts";
import { microTokenAbi } from "#shared/abi/micro-token.ts";
import { rewardsDistributorAbi } from "#shared/abi/rewards-distributor.ts";
import { microTokenBytecode } from "./generated/micro-token.ts";
import { rewardsDistributorBytecode } from "./generated/rewards-distributor.ts";

export type DeployedContracts = {
  microToken: Address;
  distributor: Address;
};

export type DeployOptions = {
  /** Blocks to wait for on each transaction; 1 (the including block) by default. */
  confirmations?: number;
};

/**
 * Deploys MicroToken and RewardsDistributor, makes the distributor the token's only minter
 * and the deployer the distributor's settler. Each step waits for its receipt and throws
 * if it reverted, so a resolved promise means a chain ready to settle on.
 */
export async function deployContracts(
  clients: ChainClients,
  options: DeployOptions = {},
): Promise<DeployedContracts> {
  const { publicClient, walletClient, account } = clients;
  const confirmations = options.confirmations ?? 1;

  const confirm = async (hash: Hash, what: string) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash, confirmations });
    if (receipt.status !== "success") throw new Error(`${what} reverted (transaction ${hash})`);
    return receipt;
  };
  const deploy = async (
    abi: Abi,
    bytecode: `0x${string}`,
    args: readonly unknown[],
    what: string,
  ) => {
    const hash = await walletClient.deployContract({ abi, bytecode, args });
    const receipt = await confirm(hash, `deploying ${what}`);
    if (!receipt.contractAddress)
      throw new Error(`deploying ${what} created no contract (${hash})`);
    return getAddress(receipt.contractAddress);
  };

  const microToken = await deploy(microTokenAbi, microTokenBytecode, [], "MicroToken");
  const distributor = await deploy(
    rewardsDistributorAbi,
    rewardsDistributorBytecode,
    [microToken],
    "RewardsDistributor",
  );

  const minterRole = await publicClient.readContract({
    address: microToken,
    abi: microTokenAbi,
    functionName: "MINTER_ROLE",
  });
  const grantMinter = await publicClient.simulateContract({
    account,
    address: microToken,
    abi: microTokenAbi,
    functionName: "grantRole",
    args: [minterRole, distributor],
  });
  await confirm(await walletClient.writeContract(grantMinter.request), "granting MINTER_ROLE");

  const settlerRole = await publicClient.readContract({
    address: distributor,
    abi: rewardsDistributorAbi,
    functionName: "SETTLER_ROLE",
  });
  const grantSettler = await publicClient.simulateContract({
    account,
    address: distributor,
    abi: rewardsDistributorAbi,
    functionName: "grantRole",
    args: [settlerRole, account.address],
  });
  await confirm(await walletClient.writeContract(grantSettler.request), "granting SETTLER_ROLE");

  return { microToken, distributor };
}
