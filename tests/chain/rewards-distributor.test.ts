import { parseEventLogs, zeroHash, type Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployContracts, type DeployedContracts } from "#chain/deploy.ts";
import { microTokenAbi } from "#shared/abi/micro-token.ts";
import { rewardsDistributorAbi } from "#shared/abi/rewards-distributor.ts";
import { startTestChain, type TestChain } from "#tests/support/anvil.ts";
import {
  balanceOf,
  claim,
  deepTree,
  freshAddress,
  MICRO,
  proofFor,
  publishRoot,
  revertOf,
  rewardsTree,
  totalOf,
  totalSupply,
  type Leaf,
} from "./distributor-actions.ts";

let chain: TestChain;

beforeAll(async () => {
  chain = await startTestChain();
});

afterAll(async () => {
  await chain?.close();
});

/** Each test settles on its own token and distributor, so epochs start at 1 and supply at 0. */
function freshContracts(): Promise<DeployedContracts> {
  return deployContracts(chain.deployer);
}

function leaves(count: number, amount: (index: number) => bigint): Leaf[] {
  return Array.from({ length: count }, (_, index): Leaf => [freshAddress(), amount(index)]);
}

describe("RewardsDistributor", () => {
  it("is wired at deployment: the distributor mints, the deployer settles and pauses", async () => {
    const contracts = await freshContracts();
    const read = chain.deployer.publicClient;
    const distributor = { address: contracts.distributor, abi: rewardsDistributorAbi } as const;
    const token = { address: contracts.microToken, abi: microTokenAbi } as const;
    const [settler, pauser, minter] = await Promise.all([
      read.readContract({ ...distributor, functionName: "SETTLER_ROLE" }),
      read.readContract({ ...distributor, functionName: "PAUSER_ROLE" }),
      read.readContract({ ...token, functionName: "MINTER_ROLE" }),
    ]);
    const me = chain.deployer.account.address;
    expect(await read.readContract({ ...distributor, functionName: "token" })).toBe(
      contracts.microToken,
    );
    expect(
      await read.readContract({ ...distributor, functionName: "hasRole", args: [settler, me] }),
    ).toBe(true);
    expect(
      await read.readContract({ ...distributor, functionName: "hasRole", args: [pauser, me] }),
    ).toBe(true);
    expect(
      await read.readContract({
        ...token,
        functionName: "hasRole",
        args: [minter, contracts.distributor],
      }),
    ).toBe(true);
    expect(await read.readContract({ ...distributor, functionName: "currentEpoch" })).toBe(0n);
    expect(await read.readContract({ ...distributor, functionName: "merkleRoot" })).toBe(zeroHash);
    expect(await read.readContract({ ...distributor, functionName: "totalCumulative" })).toBe(0n);
    expect(await totalSupply(chain.deployer, contracts)).toBe(0n);
  });

  it("publishing a root mints exactly the new cumulative total to the distributor, in the same transaction", async () => {
    const contracts = await freshContracts();
    const epoch1 = leaves(5, (i) => BigInt(i + 1) * MICRO);
    const tree = rewardsTree(epoch1);
    const receipt = await publishRoot(
      chain.deployer,
      contracts,
      1n,
      tree.root as `0x${string}`,
      totalOf(epoch1),
    );

    const [published] = parseEventLogs({
      abi: rewardsDistributorAbi,
      eventName: "RootPublished",
      logs: receipt.logs,
    });
    expect(published?.args).toEqual({
      epoch: 1n,
      root: tree.root,
      cumulativeTotal: 15n * MICRO,
      minted: 15n * MICRO,
    });
    const [minted] = parseEventLogs({
      abi: microTokenAbi,
      eventName: "Transfer",
      logs: receipt.logs,
    });
    expect(minted?.args.to).toBe(contracts.distributor);
    expect(minted?.args.value).toBe(15n * MICRO);
    expect(await balanceOf(chain.deployer, contracts, contracts.distributor)).toBe(15n * MICRO);
    expect(await totalSupply(chain.deployer, contracts)).toBe(15n * MICRO);
  });

  it("a valid claim pays the account, whoever relays it", async () => {
    const contracts = await freshContracts();
    const epoch1 = leaves(4, (i) => BigInt(i + 1) * MICRO);
    const tree = rewardsTree(epoch1);
    await publishRoot(chain.deployer, contracts, 1n, tree.root as `0x${string}`, totalOf(epoch1));
    const [account, amount] = epoch1[2]!;

    const relayer = await chain.clientsFor(1);
    const receipt = await claim(relayer, contracts, account, amount, proofFor(tree, account));

    const [claimed] = parseEventLogs({
      abi: rewardsDistributorAbi,
      eventName: "Claimed",
      logs: receipt.logs,
    });
    expect(claimed?.args).toEqual({ account, paid: 3n * MICRO, cumulativeAmount: 3n * MICRO });
    expect(await balanceOf(chain.deployer, contracts, account)).toBe(3n * MICRO);
    expect(await balanceOf(chain.deployer, contracts, relayer.account.address)).toBe(0n);
    expect(
      await chain.deployer.publicClient.readContract({
        address: contracts.distributor,
        abi: rewardsDistributorAbi,
        functionName: "claimed",
        args: [account],
      }),
    ).toBe(3n * MICRO);
  });

  it("a claim with a proof for another leaf, or from an empty proof, is an InvalidProof", async () => {
    const contracts = await freshContracts();
    const epoch1 = leaves(4, () => MICRO);
    const tree = rewardsTree(epoch1);
    await publishRoot(chain.deployer, contracts, 1n, tree.root as `0x${string}`, totalOf(epoch1));
    const [account, amount] = epoch1[0]!;
    const [other] = epoch1[1]!;

    expect(
      (await revertOf(claim(chain.deployer, contracts, account, amount, proofFor(tree, other))))
        .errorName,
    ).toBe("InvalidProof");
    expect((await revertOf(claim(chain.deployer, contracts, account, amount, []))).errorName).toBe(
      "InvalidProof",
    );
    expect(await balanceOf(chain.deployer, contracts, account)).toBe(0n);
  });

  it("a claim for more (or less) than the leaf says is an InvalidProof and pays nothing", async () => {
    const contracts = await freshContracts();
    const epoch1 = leaves(4, () => 2n * MICRO);
    const tree = rewardsTree(epoch1);
    await publishRoot(chain.deployer, contracts, 1n, tree.root as `0x${string}`, totalOf(epoch1));
    const [account] = epoch1[3]!;
    const proof = proofFor(tree, account);

    for (const wrongAmount of [3n * MICRO, 2n * MICRO - 1n, 1n]) {
      const revert = await revertOf(claim(chain.deployer, contracts, account, wrongAmount, proof));
      expect(revert.errorName).toBe("InvalidProof");
    }
    expect(await balanceOf(chain.deployer, contracts, account)).toBe(0n);
  });

  it("a second claim of the same leaf pays nothing more (NothingToClaim)", async () => {
    const contracts = await freshContracts();
    const epoch1 = leaves(3, () => 5n * MICRO);
    const tree = rewardsTree(epoch1);
    await publishRoot(chain.deployer, contracts, 1n, tree.root as `0x${string}`, totalOf(epoch1));
    const [account, amount] = epoch1[1]!;
    await claim(chain.deployer, contracts, account, amount, proofFor(tree, account));

    const revert = await revertOf(
      claim(chain.deployer, contracts, account, amount, proofFor(tree, account)),
    );
    expect(revert.errorName).toBe("NothingToClaim");
    expect(await balanceOf(chain.deployer, contracts, account)).toBe(5n * MICRO);
    expect(await balanceOf(chain.deployer, contracts, contracts.distributor)).toBe(10n * MICRO);
  });

  it("cumulative roots: a later epoch pays only the growth, and a late claimer gets it all at once", async () => {
    const contracts = await freshContracts();
    const early = freshAddress();
    const late = freshAddress();
    const epoch1: Leaf[] = [
      [early, 4n * MICRO],
      [late, 1n * MICRO],
      [freshAddress(), 2n * MICRO],
    ];
    const tree1 = rewardsTree(epoch1);
    await publishRoot(chain.deployer, contracts, 1n, tree1.root as `0x${string}`, totalOf(epoch1));
    await claim(chain.deployer, contracts, early, 4n * MICRO, proofFor(tree1, early));

    // Epoch 2: everyone earned more; a newcomer appears.
    const epoch2: Leaf[] = [
      [early, 10n * MICRO],
      [late, 3n * MICRO],
      [epoch1[2]![0], 2n * MICRO],
      [freshAddress(), 7n * MICRO],
    ];
    const tree2 = rewardsTree(epoch2);
    const receipt = await publishRoot(
      chain.deployer,
      contracts,
      2n,
      tree2.root as `0x${string}`,
      totalOf(epoch2),
    );
    const [published] = parseEventLogs({
      abi: rewardsDistributorAbi,
      eventName: "RootPublished",
      logs: receipt.logs,
    });
    expect(published?.args.minted).toBe(totalOf(epoch2) - totalOf(epoch1));
    expect(await totalSupply(chain.deployer, contracts)).toBe(totalOf(epoch2));

    // Epoch 1's proof no longer verifies against the current root.
    expect(
      (await revertOf(claim(chain.deployer, contracts, late, MICRO, proofFor(tree1, late))))
        .errorName,
    ).toBe("InvalidProof");

    const earlyPaid = await claim(
      chain.deployer,
      contracts,
      early,
      10n * MICRO,
      proofFor(tree2, early),
    );
    const [earlyClaim] = parseEventLogs({
      abi: rewardsDistributorAbi,
      eventName: "Claimed",
      logs: earlyPaid.logs,
    });
    expect(earlyClaim?.args.paid).toBe(6n * MICRO);
    expect(await balanceOf(chain.deployer, contracts, early)).toBe(10n * MICRO);

    await claim(chain.deployer, contracts, late, 3n * MICRO, proofFor(tree2, late));
    expect(await balanceOf(chain.deployer, contracts, late)).toBe(3n * MICRO);
    expect(await balanceOf(chain.deployer, contracts, contracts.distributor)).toBe(
      totalOf(epoch2) - 13n * MICRO,
    );
  });

  it("a publish with the wrong epoch reverts (EpochOutOfOrder) and mints nothing, even when mined", async () => {
    const contracts = await freshContracts();
    const epoch1 = leaves(2, () => MICRO);
    const tree = rewardsTree(epoch1);
    const root = tree.root as `0x${string}`;

    expect(
      await revertOf(publishRoot(chain.deployer, contracts, 2n, root, totalOf(epoch1))),
    ).toEqual({ errorName: "EpochOutOfOrder", args: [1n, 2n] });
    await publishRoot(chain.deployer, contracts, 1n, root, totalOf(epoch1));

    // A retried publish of epoch 1 (say, after a crash) is mined as a revert: no second mint.
    const retry = await chain.deployer.walletClient.writeContract({
      address: contracts.distributor,
      abi: rewardsDistributorAbi,
      functionName: "publishRoot",
      args: [1n, root, totalOf(epoch1) * 2n],
      gas: 300_000n,
    });
    const receipt = await chain.deployer.publicClient.waitForTransactionReceipt({ hash: retry });
    expect(receipt.status).toBe("reverted");
    expect(
      await revertOf(publishRoot(chain.deployer, contracts, 1n, root, totalOf(epoch1) * 2n)),
    ).toEqual({ errorName: "EpochOutOfOrder", args: [2n, 1n] });
    expect(await totalSupply(chain.deployer, contracts)).toBe(totalOf(epoch1));
    expect(
      await chain.deployer.publicClient.readContract({
        address: contracts.distributor,
        abi: rewardsDistributorAbi,
        functionName: "currentEpoch",
      }),
    ).toBe(1n);
  });

  it("a publish whose cumulative total shrinks reverts; an unchanged total mints nothing", async () => {
    const contracts = await freshContracts();
    const epoch1 = leaves(2, () => 3n * MICRO);
    const tree = rewardsTree(epoch1);
    await publishRoot(chain.deployer, contracts, 1n, tree.root as `0x${string}`, 6n * MICRO);

    expect(
      await revertOf(
        publishRoot(chain.deployer, contracts, 2n, tree.root as `0x${string}`, 6n * MICRO - 1n),
      ),
    ).toEqual({ errorName: "CumulativeTotalDecreased", args: [6n * MICRO, 6n * MICRO - 1n] });

    const receipt = await publishRoot(
      chain.deployer,
      contracts,
      2n,
      tree.root as `0x${string}`,
      6n * MICRO,
    );
    const transfers = parseEventLogs({
      abi: microTokenAbi,
      eventName: "Transfer",
      logs: receipt.logs,
    });
    expect(transfers).toHaveLength(0);
    expect(await totalSupply(chain.deployer, contracts)).toBe(6n * MICRO);
  });

  it("only the settler publishes roots, and only the minter mints", async () => {
    const contracts = await freshContracts();
    const stranger = await chain.clientsFor(2);
    const strangerAddress = stranger.account.address;
    const settlerRole = await chain.deployer.publicClient.readContract({
      address: contracts.distributor,
      abi: rewardsDistributorAbi,
      functionName: "SETTLER_ROLE",
    });
    const minterRole = await chain.deployer.publicClient.readContract({
      address: contracts.microToken,
      abi: microTokenAbi,
      functionName: "MINTER_ROLE",
    });

    expect(
      await revertOf(publishRoot(stranger, contracts, 1n, `0x${"11".repeat(32)}`, MICRO)),
    ).toEqual({
      errorName: "AccessControlUnauthorizedAccount",
      args: [strangerAddress, settlerRole],
    });

    const mintAs = (clients: typeof stranger, to: Address) =>
      clients.publicClient.simulateContract({
        account: clients.account,
        address: contracts.microToken,
        abi: microTokenAbi,
        functionName: "mint",
        args: [to, MICRO],
      });
    expect(await revertOf(mintAs(stranger, strangerAddress))).toEqual({
      errorName: "AccessControlUnauthorizedAccount",
      args: [strangerAddress, minterRole],
    });
    // Not even the token's admin (the deployer) can mint: only the distributor holds the role.
    expect(await revertOf(mintAs(chain.deployer, chain.deployer.account.address))).toEqual({
      errorName: "AccessControlUnauthorizedAccount",
      args: [chain.deployer.account.address, minterRole],
    });
    expect(await totalSupply(chain.deployer, contracts)).toBe(0n);
  });

  it("pausing blocks claims and unpausing restores them; only the pauser may do either", async () => {
    const contracts = await freshContracts();
    const epoch1 = leaves(2, () => MICRO);
    const tree = rewardsTree(epoch1);
    await publishRoot(chain.deployer, contracts, 1n, tree.root as `0x${string}`, totalOf(epoch1));
    const [account, amount] = epoch1[0]!;
    const setPaused = async (clients: TestChain["deployer"], functionName: "pause" | "unpause") => {
      const { request } = await clients.publicClient.simulateContract({
        account: clients.account,
        address: contracts.distributor,
        abi: rewardsDistributorAbi,
        functionName,
      });
      await clients.publicClient.waitForTransactionReceipt({
        hash: await clients.walletClient.writeContract(request),
      });
    };

    const stranger = await chain.clientsFor(3);
    expect((await revertOf(setPaused(stranger, "pause"))).errorName).toBe(
      "AccessControlUnauthorizedAccount",
    );

    await setPaused(chain.deployer, "pause");
    expect(
      (await revertOf(claim(chain.deployer, contracts, account, amount, proofFor(tree, account))))
        .errorName,
    ).toBe("EnforcedPause");
    expect((await revertOf(setPaused(stranger, "unpause"))).errorName).toBe(
      "AccessControlUnauthorizedAccount",
    );

    await setPaused(chain.deployer, "unpause");
    await claim(chain.deployer, contracts, account, amount, proofFor(tree, account));
    expect(await balanceOf(chain.deployer, contracts, account)).toBe(amount);
  });

  it("gas: a root update stays within 60,000 and a claim with a 17-hash proof within 62,000", async () => {
    const contracts = await freshContracts();
    // 17 hashes: the proof length for most leaves of a 100,000-leaf tree.
    const accounts = Array.from({ length: 8 }, () => freshAddress());
    const amount = (index: number, epoch: bigint) => (BigInt(index + 1) * MICRO * epoch) / 3n;
    const epochLeaves = (epoch: bigint) =>
      accounts.map((account, index): Leaf => [account, amount(index, epoch)]);

    const gas = {
      rootUpdates: [] as bigint[],
      firstClaims: [] as bigint[],
      repeatClaims: [] as bigint[],
    };
    for (const epoch of [1n, 2n, 3n]) {
      const current = epochLeaves(epoch);
      const tree = deepTree(current, 17);
      const published = await publishRoot(
        chain.deployer,
        contracts,
        epoch,
        tree.root,
        totalOf(current),
      );
      if (epoch > 1n) gas.rootUpdates.push(published.gasUsed);
      if (epoch === 3n) break;
      // All but the last claim: as in any real epoch, the distributor keeps some unclaimed
      // MICRO. (Were it drained to zero, the next mint would pay 17,100 more to recreate its
      // balance slot.)
      for (const [account, cumulative] of current.slice(0, -1)) {
        const receipt = await claim(
          chain.deployer,
          contracts,
          account,
          cumulative,
          tree.proof(account),
        );
        (epoch === 1n ? gas.firstClaims : gas.repeatClaims).push(receipt.gasUsed);
      }
    }
    const mean = (values: bigint[]) => values.reduce((a, b) => a + b, 0n) / BigInt(values.length);
    console.log(
      `gas: root update ${gas.rootUpdates.join(", ")}; claim with 17-hash proof: ` +
        `first by a fresh address ${mean(gas.firstClaims)}, repeat in a later epoch ${mean(gas.repeatClaims)}`,
    );
    // Nothing in a root update depends on the tree; only the calldata's zero bytes vary.
    const [cheapest, dearest] = [...gas.rootUpdates].sort((a, b) => Number(a - b));
    expect(dearest! - cheapest!).toBeLessThan(200n);
    expect(dearest).toBeLessThanOrEqual(60_000n);
    expect(mean(gas.repeatClaims)).toBeLessThanOrEqual(62_000n);
    // A first claim also creates claimed[account] and the account's balance (two 0 → x writes).
    expect(mean(gas.firstClaims)).toBeLessThanOrEqual(100_000n);
  });
});
