/**
 * `npx tsx scripts/chain-gas.ts [leaves] [samples]`: measures, on a fresh embedded anvil with
 * the committed contracts, the whole-transaction gasUsed of
 *
 *   - publishRoot in a steady state (2nd+ epoch), for a 100,000-leaf tree and a 3-leaf tree;
 *   - claim by a fresh address (first claim: claimed[account] and its MICRO balance go 0 → x);
 *   - claim in a later epoch by an address that already claimed and still holds MICRO,
 *
 * each claim for a random leaf of the tree (default 100,000 leaves, 64 samples), relayed by
 * the deployer as the platform does. Prints a table and, last, one JSON line.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { getAddress, hexToBigInt, keccak256, slice, toHex, type Address, type Hash } from "viem";
import { startAnvil } from "#chain/anvil.ts";
import { anvilDeployerPrivateKey } from "#chain/anvil-accounts.ts";
import { createChainClients, type ChainClients } from "#chain/clients.ts";
import { deployContracts, type DeployedContracts } from "#chain/deploy.ts";
import { rewardsDistributorAbi } from "#chain/generated/rewards-distributor.ts";

const leafCount = Number(process.argv[2] ?? 100_000);
const sampleCount = Number(process.argv[3] ?? 64);

type Leaf = [Address, bigint];

// Seeded, so two runs (say, before and after a contract change) measure the same leaves.
let draws = 0;
function random(): Hash {
  return keccak256(toHex(`tributary-gas-${draws++}`));
}

function randomAddress(): Address {
  return getAddress(slice(random(), 12));
}

/** A micro-reward-sized cumulative amount: 0.001 to about 65 MICRO, 18 decimals. */
function randomAmount(): bigint {
  return 10n ** 15n + (hexToBigInt(random()) % (65n * 10n ** 18n));
}

function randomIndex(below: number): number {
  return Number(hexToBigInt(random()) % BigInt(below));
}

function buildTree(leaves: Leaf[]) {
  const started = performance.now();
  const tree = StandardMerkleTree.of(leaves, ["address", "uint256"]);
  return { tree, seconds: (performance.now() - started) / 1000 };
}

async function gasOf(clients: ChainClients, hash: Hash): Promise<bigint> {
  const receipt = await clients.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
  return receipt.gasUsed;
}

async function publishRoot(
  clients: ChainClients,
  contracts: DeployedContracts,
  epoch: bigint,
  root: Hash,
  total: bigint,
): Promise<bigint> {
  const { request } = await clients.publicClient.simulateContract({
    account: clients.account,
    address: contracts.distributor,
    abi: rewardsDistributorAbi,
    functionName: "publishRoot",
    args: [epoch, root, total],
  });
  return gasOf(clients, await clients.walletClient.writeContract(request));
}

async function claim(
  clients: ChainClients,
  contracts: DeployedContracts,
  leaf: Leaf,
  proof: Hash[],
): Promise<bigint> {
  const { request } = await clients.publicClient.simulateContract({
    account: clients.account,
    address: contracts.distributor,
    abi: rewardsDistributorAbi,
    functionName: "claim",
    args: [leaf[0], leaf[1], proof],
  });
  return gasOf(clients, await clients.walletClient.writeContract(request));
}

function describe({ mean, min, max }: ReturnType<typeof summary>): string {
  return `mean ${mean}  (min ${min}, max ${max})`;
}

function summary(values: bigint[]) {
  const numbers = values.map(Number).sort((a, b) => a - b);
  const mean = numbers.reduce((sum, value) => sum + value, 0) / numbers.length;
  return { mean: Math.round(mean), min: numbers[0]!, max: numbers[numbers.length - 1]! };
}

async function main() {
  const anvil = await startAnvil();
  try {
    const clients = await createChainClients({
      rpcUrl: anvil.rpcUrl,
      privateKey: anvilDeployerPrivateKey,
    });
    const contracts = await deployContracts(clients);

    const epoch1: Leaf[] = Array.from({ length: leafCount }, () => [
      randomAddress(),
      randomAmount(),
    ]);
    const epoch2: Leaf[] = epoch1.map(([account, amount]) => [account, amount + randomAmount()]);
    const tree1 = buildTree(epoch1);
    const tree2 = buildTree(epoch2);
    const total = (leaves: Leaf[]) => leaves.reduce((sum, [, amount]) => sum + amount, 0n);

    const firstPublish = await publishRoot(
      clients,
      contracts,
      1n,
      tree1.tree.root as Hash,
      total(epoch1),
    );
    const samples = new Set<number>();
    while (samples.size < Math.min(sampleCount, leafCount)) samples.add(randomIndex(leafCount));

    const firstClaims: bigint[] = [];
    for (const index of samples) {
      firstClaims.push(
        await claim(
          clients,
          contracts,
          epoch1[index]!,
          tree1.tree.getProof(epoch1[index]!) as Hash[],
        ),
      );
    }

    const steadyPublish = await publishRoot(
      clients,
      contracts,
      2n,
      tree2.tree.root as Hash,
      total(epoch2),
    );
    const repeatClaims: bigint[] = [];
    for (const index of samples) {
      repeatClaims.push(
        await claim(
          clients,
          contracts,
          epoch2[index]!,
          tree2.tree.getProof(epoch2[index]!) as Hash[],
        ),
      );
    }

    // A root of a 3-leaf tree costs the same to publish: the gas does not depend on the tree.
    const small = StandardMerkleTree.of(
      epoch2.slice(0, 3).map(([account, amount]): Leaf => [account, amount]),
      ["address", "uint256"],
    );
    const smallPublish = await publishRoot(
      clients,
      contracts,
      3n,
      small.root as Hash,
      total(epoch2) + 1n,
    );

    const proofLengths = summary(
      [...samples].map((index) => BigInt(tree2.tree.getProof(epoch2[index]!).length)),
    );
    const first = summary(firstClaims);
    const repeat = summary(repeatClaims);
    const rows: [string, string][] = [
      ["publishRoot, epoch 1 (first ever)", `${firstPublish}`],
      [`publishRoot, epoch 2 (${leafCount}-leaf tree)`, `${steadyPublish}`],
      ["publishRoot, epoch 3 (3-leaf tree)", `${smallPublish}`],
      [`claim, fresh address (${samples.size} leaves)`, describe(first)],
      ["claim, repeat in a later epoch", describe(repeat)],
    ];
    console.log(
      `${leafCount} leaves, tree built in ${tree1.seconds.toFixed(1)} s, ` +
        `proofs of ${proofLengths.min}-${proofLengths.max} hashes; whole-transaction gasUsed:`,
    );
    for (const [what, gas] of rows) console.log(`  ${what.padEnd(42)} ${gas}`);
    console.log(
      JSON.stringify({
        leaves: leafCount,
        samples: samples.size,
        publish_root_gas_steady: Number(steadyPublish),
        publish_root_gas_small_tree: Number(smallPublish),
        publish_root_gas_first: Number(firstPublish),
        claim_gas_first_mean: first.mean,
        claim_gas_repeat_mean: repeat.mean,
      }),
    );
  } finally {
    await anvil.stop();
  }
}

await main();
