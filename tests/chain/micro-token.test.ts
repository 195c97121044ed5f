import { parseSignature } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChainClients } from "#chain/clients.ts";
import { deployContracts, type DeployedContracts } from "#chain/deploy.ts";
import { microTokenAbi } from "#shared/abi/micro-token.ts";
import { startTestChain, type TestChain } from "#tests/support/anvil.ts";
import {
  balanceOf,
  claim,
  MICRO,
  proofFor,
  publishRoot,
  revertOf,
  rewardsTree,
} from "./distributor-actions.ts";

let chain: TestChain;

beforeAll(async () => {
  chain = await startTestChain();
});

afterAll(async () => {
  await chain?.close();
});

/** Fresh contracts with `amount` MICRO settled to and claimed by `holder`. */
async function holderWithMicro(holder: ChainClients, amount: bigint) {
  const contracts = await deployContracts(chain.deployer);
  const tree = rewardsTree([[holder.account.address, amount]]);
  await publishRoot(chain.deployer, contracts, 1n, tree.root as `0x${string}`, amount);
  await claim(
    chain.deployer,
    contracts,
    holder.account.address,
    amount,
    proofFor(tree, holder.account.address),
  );
  return contracts;
}

async function signPermit(
  owner: ChainClients,
  contracts: DeployedContracts,
  permit: { spender: `0x${string}`; value: bigint; deadline: bigint },
) {
  const nonce = await owner.publicClient.readContract({
    address: contracts.microToken,
    abi: microTokenAbi,
    functionName: "nonces",
    args: [owner.account.address],
  });
  const signature = await owner.walletClient.signTypedData({
    domain: {
      name: "Tributary Micro",
      version: "1",
      chainId: owner.chainId,
      verifyingContract: contracts.microToken,
    },
    types: {
      Permit: [
        { name: "owner", type: "address" },
        { name: "spender", type: "address" },
        { name: "value", type: "uint256" },
        { name: "nonce", type: "uint256" },
        { name: "deadline", type: "uint256" },
      ],
    },
    primaryType: "Permit",
    message: { owner: owner.account.address, nonce, ...permit },
  });
  const { r, s, yParity } = parseSignature(signature);
  return { r, s, v: yParity + 27 };
}

describe("MicroToken", () => {
  it("is Tributary Micro (MICRO) with 18 decimals and no supply until a root is published", async () => {
    const contracts = await deployContracts(chain.deployer);
    const token = { address: contracts.microToken, abi: microTokenAbi } as const;
    const read = chain.deployer.publicClient;
    expect(await read.readContract({ ...token, functionName: "name" })).toBe("Tributary Micro");
    expect(await read.readContract({ ...token, functionName: "symbol" })).toBe("MICRO");
    expect(await read.readContract({ ...token, functionName: "decimals" })).toBe(18);
    expect(await read.readContract({ ...token, functionName: "totalSupply" })).toBe(0n);
  });

  it("an EIP-2612 permit signed by the holder sets the allowance, and the spender can use it", async () => {
    const owner = await chain.clientsFor(4);
    const spender = await chain.clientsFor(5);
    const contracts = await holderWithMicro(owner, 10n * MICRO);
    const deadline = BigInt(Math.floor(Date.now() / 1000)) + 3600n;
    const value = 4n * MICRO;
    const { v, r, s } = await signPermit(owner, contracts, {
      spender: spender.account.address,
      value,
      deadline,
    });

    // The spender submits the permit and pays its gas; the owner never sends a transaction.
    const { request } = await spender.publicClient.simulateContract({
      account: spender.account,
      address: contracts.microToken,
      abi: microTokenAbi,
      functionName: "permit",
      args: [owner.account.address, spender.account.address, value, deadline, v, r, s],
    });
    await spender.publicClient.waitForTransactionReceipt({
      hash: await spender.walletClient.writeContract(request),
    });
    const token = { address: contracts.microToken, abi: microTokenAbi } as const;
    expect(
      await spender.publicClient.readContract({
        ...token,
        functionName: "allowance",
        args: [owner.account.address, spender.account.address],
      }),
    ).toBe(value);
    expect(
      await spender.publicClient.readContract({
        ...token,
        functionName: "nonces",
        args: [owner.account.address],
      }),
    ).toBe(1n);

    const pull = await spender.publicClient.simulateContract({
      account: spender.account,
      ...token,
      functionName: "transferFrom",
      args: [owner.account.address, spender.account.address, value],
    });
    await spender.publicClient.waitForTransactionReceipt({
      hash: await spender.walletClient.writeContract(pull.request),
    });
    expect(await balanceOf(chain.deployer, contracts, spender.account.address)).toBe(value);
    expect(await balanceOf(chain.deployer, contracts, owner.account.address)).toBe(6n * MICRO);

    // The same signature cannot be replayed: the nonce moved on.
    const replay = await revertOf(
      spender.publicClient.simulateContract({
        account: spender.account,
        ...token,
        functionName: "permit",
        args: [owner.account.address, spender.account.address, value, deadline, v, r, s],
      }),
    );
    expect(replay.errorName).toBe("ERC2612InvalidSigner");
  });

  it("a permit signed by someone other than the owner, or past its deadline, is refused", async () => {
    const owner = await chain.clientsFor(6);
    const spender = await chain.clientsFor(7);
    const contracts = await holderWithMicro(owner, MICRO);
    const token = { address: contracts.microToken, abi: microTokenAbi } as const;
    const future = BigInt(Math.floor(Date.now() / 1000)) + 3600n;

    const forged = await signPermit(spender, contracts, {
      spender: spender.account.address,
      value: MICRO,
      deadline: future,
    });
    const byImpostor = await revertOf(
      spender.publicClient.simulateContract({
        account: spender.account,
        ...token,
        functionName: "permit",
        args: [
          owner.account.address,
          spender.account.address,
          MICRO,
          future,
          forged.v,
          forged.r,
          forged.s,
        ],
      }),
    );
    expect(byImpostor.errorName).toBe("ERC2612InvalidSigner");

    const past = 1n;
    const expired = await signPermit(owner, contracts, {
      spender: spender.account.address,
      value: MICRO,
      deadline: past,
    });
    const late = await revertOf(
      spender.publicClient.simulateContract({
        account: spender.account,
        ...token,
        functionName: "permit",
        args: [
          owner.account.address,
          spender.account.address,
          MICRO,
          past,
          expired.v,
          expired.r,
          expired.s,
        ],
      }),
    );
    expect(late.errorName).toBe("ERC2612ExpiredSignature");
  });
});
