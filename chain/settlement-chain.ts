import {
  BaseError,
  ContractFunctionRevertedError,
  encodeFunctionData,
  keccak256,
  parseEventLogs,
  type Address,
  type Hex,
} from "viem";
import type { ChainClients } from "./clients.ts";
import { microTokenAbi } from "#shared/abi/micro-token.ts";
import { rewardsDistributorAbi } from "#shared/abi/rewards-distributor.ts";

export type DistributorState = { epoch: number; root: Hex; totalCumulative: bigint };

export type SignedTransaction = { rawTx: Hex; hash: Hex; nonce: number };

export type TransactionOutcome =
  | { status: "success"; blockNumber: bigint; blockHash: Hex }
  | { status: "reverted"; blockNumber: bigint; blockHash: Hex };

export type RootPublication = { epoch: number; root: Hex; txHash: Hex; blockNumber: bigint };

export type ClaimLog = {
  txHash: Hex;
  logIndex: number;
  blockNumber: bigint;
  account: Address;
  paid: bigint;
  cumulative: bigint;
};

/**
 * Everything settlement asks of the chain, behind one small interface so that the
 * epoch state machine in core/settlement reads as steps, not RPC calls. Writes of the
 * platform's key go through one queue per process, so a relayed claim and an epoch's
 * root never race for the same nonce here.
 */
export type SettlementChain = {
  chainId: number;
  distributor: Address;
  microToken: Address;
  confirmations: number;
  readState(): Promise<DistributorState>;
  claimedBy(account: Address): Promise<bigint>;
  tokenBalance(account: Address): Promise<bigint>;
  blockNumber(): Promise<bigint>;
  /** Simulates, then signs `publishRoot` locally: the hash is known before anything is sent. */
  signPublishRoot(args: {
    epoch: number;
    root: Hex;
    cumulativeTotal: bigint;
  }): Promise<SignedTransaction>;
  /** Sends a signed transaction; sending one the node already has is not an error. */
  broadcast(rawTx: Hex): Promise<void>;
  /** The mined outcome, or null while the transaction is unknown or unmined. */
  outcome(hash: Hex): Promise<TransactionOutcome | null>;
  /** Polls `outcome` until the transaction is mined or `timeoutMs` has passed (then null). */
  waitForOutcome(hash: Hex, timeoutMs: number): Promise<TransactionOutcome | null>;
  /** Whether the node still knows the transaction (mined or waiting in its pool). */
  isKnown(hash: Hex): Promise<boolean>;
  /** The platform account's next nonce counting only mined transactions. */
  minedNonce(): Promise<number>;
  /** The RootPublished event for an epoch, if it happened (a reconciliation source of truth). */
  findRootPublication(epoch: number): Promise<RootPublication | null>;
  claimLogs(fromBlock: bigint, toBlock: bigint): Promise<ClaimLog[]>;
  /** Sends `claim` for an account from the platform's key (the platform pays gas). */
  sendClaim(account: Address, cumulative: bigint, proof: readonly Hex[]): Promise<Hex>;
};

export class ChainRevertError extends Error {
  constructor(
    readonly errorName: string,
    message: string,
  ) {
    super(message);
    this.name = "ChainRevertError";
  }
}

/** The custom error name of a reverted call, when the node reports one. */
export function revertName(error: unknown): string | null {
  if (!(error instanceof BaseError)) return null;
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  return reverted instanceof ContractFunctionRevertedError
    ? (reverted.data?.errorName ?? null)
    : null;
}

export function createSettlementChain(
  clients: ChainClients,
  addresses: { distributor: Address; microToken: Address },
  options: { confirmations: number; logRangeBlocks?: number },
): SettlementChain {
  const { publicClient, walletClient, account } = clients;
  const distributor = { address: addresses.distributor, abi: rewardsDistributorAbi } as const;
  const logRange = BigInt(options.logRangeBlocks ?? 5_000);
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  const simulate = async (
    functionName: "publishRoot" | "claim",
    args: readonly unknown[],
  ): Promise<void> => {
    try {
      await publicClient.simulateContract({
        ...distributor,
        functionName,
        args: args as never,
        account,
      });
    } catch (error) {
      const name = revertName(error);
      if (name) throw new ChainRevertError(name, `${functionName} would revert with ${name}`);
      throw error;
    }
  };

  const signCall = async (data: Hex): Promise<SignedTransaction> => {
    const nonce = await publicClient.getTransactionCount({
      address: account.address,
      blockTag: "pending",
    });
    const request = await walletClient.prepareTransactionRequest({
      to: addresses.distributor,
      data,
      nonce,
      chain: clients.chain,
      account,
    });
    const rawTx = await account.signTransaction(request as never);
    return { rawTx, hash: keccak256(rawTx), nonce };
  };

  const broadcast = async (rawTx: Hex): Promise<void> => {
    try {
      await publicClient.sendRawTransaction({ serializedTransaction: rawTx });
    } catch (error) {
      const text = String((error as Error).message ?? error).toLowerCase();
      // The node has it already, or it was mined: both mean "sent".
      if (/already known|already imported|known transaction|nonce too low/.test(text)) return;
      throw error;
    }
  };

  const outcome = async (hash: Hex): Promise<TransactionOutcome | null> => {
    try {
      const receipt = await publicClient.getTransactionReceipt({ hash });
      return {
        status: receipt.status,
        blockNumber: receipt.blockNumber,
        blockHash: receipt.blockHash,
      };
    } catch {
      return null;
    }
  };

  return {
    chainId: clients.chainId,
    distributor: addresses.distributor,
    microToken: addresses.microToken,
    confirmations: options.confirmations,

    async readState() {
      const [epoch, root, totalCumulative] = await Promise.all([
        publicClient.readContract({ ...distributor, functionName: "currentEpoch" }),
        publicClient.readContract({ ...distributor, functionName: "merkleRoot" }),
        publicClient.readContract({ ...distributor, functionName: "totalCumulative" }),
      ]);
      return { epoch: Number(epoch), root, totalCumulative };
    },

    claimedBy: (claimant) =>
      publicClient.readContract({ ...distributor, functionName: "claimed", args: [claimant] }),

    tokenBalance: (holder) =>
      publicClient.readContract({
        address: addresses.microToken,
        abi: microTokenAbi,
        functionName: "balanceOf",
        args: [holder],
      }),

    blockNumber: () => publicClient.getBlockNumber({ cacheTime: 0 }),

    signPublishRoot: ({ epoch, root, cumulativeTotal }) =>
      serially(async () => {
        const args = [BigInt(epoch), root, cumulativeTotal] as const;
        await simulate("publishRoot", args);
        return signCall(
          encodeFunctionData({ abi: rewardsDistributorAbi, functionName: "publishRoot", args }),
        );
      }),

    broadcast: (rawTx) => serially(() => broadcast(rawTx)),

    outcome,

    async waitForOutcome(hash, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const mined = await outcome(hash);
        if (mined || Date.now() >= deadline) return mined;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },

    async isKnown(hash) {
      try {
        await publicClient.getTransaction({ hash });
        return true;
      } catch {
        return false;
      }
    },

    minedNonce: () =>
      publicClient.getTransactionCount({ address: account.address, blockTag: "latest" }),

    async findRootPublication(epoch) {
      const logs = await publicClient.getContractEvents({
        ...distributor,
        eventName: "RootPublished",
        args: { epoch: BigInt(epoch) },
        fromBlock: 0n,
        toBlock: "latest",
      });
      const log = logs.at(-1);
      if (!log) return null;
      return {
        epoch,
        root: log.args.root!,
        txHash: log.transactionHash,
        blockNumber: log.blockNumber,
      };
    },

    async claimLogs(fromBlock, toBlock) {
      const found: ClaimLog[] = [];
      for (let start = fromBlock; start <= toBlock; start += logRange) {
        const end = start + logRange - 1n < toBlock ? start + logRange - 1n : toBlock;
        const logs = await publicClient.getLogs({
          address: addresses.distributor,
          fromBlock: start,
          toBlock: end,
        });
        for (const log of parseEventLogs({
          abi: rewardsDistributorAbi,
          eventName: "Claimed",
          logs,
        })) {
          found.push({
            txHash: log.transactionHash,
            logIndex: log.logIndex,
            blockNumber: log.blockNumber,
            account: log.args.account,
            paid: log.args.paid,
            cumulative: log.args.cumulativeAmount,
          });
        }
      }
      return found;
    },

    sendClaim: (claimant, cumulative, proof) =>
      serially(async () => {
        const args = [claimant, cumulative, proof] as const;
        await simulate("claim", args);
        const signed = await signCall(
          encodeFunctionData({ abi: rewardsDistributorAbi, functionName: "claim", args }),
        );
        await broadcast(signed.rawTx);
        return signed.hash;
      }),
  };
}
