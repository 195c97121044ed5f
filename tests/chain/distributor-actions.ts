import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import {
  BaseError,
  ContractFunctionRevertedError,
  getAddress,
  keccak256,
  toHex,
  type Address,
  type Hash,
  type TransactionReceipt,
} from "viem";
import { generatePrivateKey, privateKeyToAddress } from "viem/accounts";
import type { ChainClients } from "#chain/clients.ts";
import { type DeployedContracts } from "#chain/deploy.ts";
import { microTokenAbi } from "#shared/abi/micro-token.ts";
import { rewardsDistributorAbi } from "#shared/abi/rewards-distributor.ts";

/** One StandardMerkleTree leaf: ["address", "uint256"] = (account, cumulative amount). */
export type Leaf = [Address, bigint];

export const MICRO = 10n ** 18n;

/** An address nobody has used on this chain yet. */
export function freshAddress(): Address {
  return privateKeyToAddress(generatePrivateKey());
}

export function rewardsTree(leaves: Leaf[]) {
  return StandardMerkleTree.of(leaves, ["address", "uint256"]);
}

export function proofFor(tree: StandardMerkleTree<Leaf>, account: Address): Hash[] {
  for (const [index, [leafAccount]] of tree.entries()) {
    if (getAddress(leafAccount) === getAddress(account)) return tree.getProof(index) as Hash[];
  }
  throw new Error(`${account} is not in the tree`);
}

export function totalOf(leaves: Leaf[]): bigint {
  return leaves.reduce((sum, [, amount]) => sum + amount, 0n);
}

async function confirmed(clients: ChainClients, hash: Hash): Promise<TransactionReceipt> {
  const receipt = await clients.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
  return receipt;
}

/** simulate → write → wait, as the app does; a revert throws from the simulation. */
export async function publishRoot(
  clients: ChainClients,
  contracts: DeployedContracts,
  epoch: bigint,
  root: Hash,
  cumulativeTotal: bigint,
): Promise<TransactionReceipt> {
  const { request } = await clients.publicClient.simulateContract({
    account: clients.account,
    address: contracts.distributor,
    abi: rewardsDistributorAbi,
    functionName: "publishRoot",
    args: [epoch, root, cumulativeTotal],
  });
  return confirmed(clients, await clients.walletClient.writeContract(request));
}

export async function claim(
  clients: ChainClients,
  contracts: DeployedContracts,
  account: Address,
  cumulativeAmount: bigint,
  proof: Hash[],
): Promise<TransactionReceipt> {
  const { request } = await clients.publicClient.simulateContract({
    account: clients.account,
    address: contracts.distributor,
    abi: rewardsDistributorAbi,
    functionName: "claim",
    args: [account, cumulativeAmount, proof],
  });
  return confirmed(clients, await clients.walletClient.writeContract(request));
}

export function balanceOf(
  clients: ChainClients,
  contracts: DeployedContracts,
  account: Address,
): Promise<bigint> {
  return clients.publicClient.readContract({
    address: contracts.microToken,
    abi: microTokenAbi,
    functionName: "balanceOf",
    args: [account],
  });
}

export function totalSupply(clients: ChainClients, contracts: DeployedContracts): Promise<bigint> {
  return clients.publicClient.readContract({
    address: contracts.microToken,
    abi: microTokenAbi,
    functionName: "totalSupply",
  });
}

export type Revert = { errorName: string | undefined; args: readonly unknown[] };

/** The custom error a contract call reverted with; fails the test if it did not revert. */
export async function revertOf(call: Promise<unknown>): Promise<Revert> {
  try {
    await call;
  } catch (error) {
    const reverted =
      error instanceof BaseError
        ? error.walk((e) => e instanceof ContractFunctionRevertedError)
        : null;
    if (reverted instanceof ContractFunctionRevertedError) {
      return { errorName: reverted.data?.errorName, args: reverted.data?.args ?? [] };
    }
    throw error;
  }
  throw new Error("expected the call to revert, but it succeeded");
}

/**
 * A root under which every leaf's proof has exactly `depth` hashes, as in a tree of
 * 2^depth leaves: the leaves' own StandardMerkleTree, lifted by hashing its root with
 * made-up siblings. The contract cannot tell it from a real tree that size, so it is an
 * honest stand-in for measuring claim gas without hashing 100,000 leaves in a test.
 */
export function deepTree(leaves: Leaf[], depth: number) {
  const tree = rewardsTree(leaves);
  const lift: Hash[] = [];
  let root = tree.root as Hash;
  for (let level = tree.getProof(0).length; level < depth; level++) {
    const sibling = keccak256(toHex(`sibling-${level}-${root}`));
    lift.push(sibling);
    root = keccak256(root < sibling ? `${root}${sibling.slice(2)}` : `${sibling}${root.slice(2)}`);
  }
  return {
    root,
    proof: (account: Address): Hash[] => {
      const proof = [...proofFor(tree, account), ...lift];
      if (proof.length !== depth) throw new Error(`proof of ${proof.length}, not ${depth}`);
      return proof;
    },
  };
}
