import type { Logger } from "pino";
import type { Address } from "viem";
import { ChainRevertError, type SettlementChain } from "#chain/settlement-chain.ts";
import { accountCodes, userAccounts } from "#core/ledger/accounts.repository.ts";
import { formatMicro } from "#shared/money.ts";
import { recordTransfers } from "#core/ledger/transfers.service.ts";
import { shortAddress } from "#core/wallet/wallet-link.ts";
import { tryAdvisoryTransactionLock } from "#db/advisory-lock.ts";
import type { Db } from "#db/create-db.ts";
import {
  addToAllocations,
  findEpoch,
  findOpenEpoch,
  allocationTotals,
  ensureAccountsInBulk,
  insertPackedTree,
  insertPayouts,
  insertPreparedEpoch,
  lastEpochNumber,
  listAllocations,
  lockAvailableWallets,
  markConfirmedEpochSubmittedAgain,
  markEpochConfirmed,
  markEpochFinal,
  packEpochTree,
  pruneTreesBefore,
  recordEpochSigned,
  type SettlementEpoch,
} from "./settlement.repository.ts";
import { buildSettlementTree, type SettlementLeaf } from "./settlement-tree.ts";

/** A user's address that their available balance settles to. */
export type LinkedWallet = { userId: string; address: Address };

/**
 * The points between an epoch's steps. The crash-safety test kills the process at each
 * one and checks that a restart finishes the epoch with exactly one mint.
 */
export type EpochStep = "prepared" | "signed" | "broadcast" | "confirmed" | "final";

export type SettlementDeps = {
  db: Db;
  chain: SettlementChain;
  /**
   * Every active wallet link that receives at `now` (from core/wallet-link), read inside
   * the prepare transaction; a pasted address in its cooling-off is not among them.
   */
  linkedWallets: (db: Db, now: Date) => Promise<LinkedWallet[]>;
  /** The clock an epoch's links are read at; tests inject one. */
  now?: () => Date;
  logger?: Logger;
  /** How long one run waits for a receipt before it leaves the epoch for the next run. */
  receiptTimeoutMs?: number;
  onStep?: (step: EpochStep, epoch: number) => void | Promise<void>;
};

export type SettlementRun =
  | { kind: "nothing-to-settle" }
  | { kind: "waiting"; epoch: SettlementEpoch; for: "receipt" | "confirmations" }
  | { kind: "final"; epoch: SettlementEpoch };

export class SettlementError extends Error {
  constructor(
    readonly code: "chain_out_of_step" | "root_mismatch",
    message: string,
  ) {
    super(message);
    this.name = "SettlementError";
  }
}

// One key for "the settlement epoch": the prepare transaction takes it, so two instances
// never prepare at once; the partial unique index keeps one open epoch regardless.
const SETTLEMENT_LOCK_KEY = 7_401_190_001;

/**
 * Moves an epoch one or more steps towards final: prepare (ledger + tree, one
 * transaction) → signed (hash recorded before anything is sent) → broadcast → confirmed
 * → final. Every step is a conditional state change and every chain write is either the
 * stored signed transaction again or guarded by the contract's epoch counter, so running
 * this again after a crash at any point resumes, and never mints twice.
 */
export async function runSettlementEpoch(deps: SettlementDeps): Promise<SettlementRun> {
  let epoch = await findOpenEpoch(deps.db);
  if (!epoch) {
    epoch = await prepareEpoch(deps);
    if (!epoch) return { kind: "nothing-to-settle" };
    await deps.onStep?.("prepared", epoch.epoch);
  }
  for (;;) {
    switch (epoch.status) {
      case "prepared":
        epoch = await sign(deps, epoch);
        break;
      case "submitted": {
        const next = await submit(deps, epoch);
        if (next.status === "submitted" && next.txHash === epoch.txHash) {
          return { kind: "waiting", epoch: next, for: "receipt" };
        }
        epoch = next;
        break;
      }
      case "confirmed": {
        const next = await finalise(deps, epoch);
        if (next.status === "confirmed") {
          return { kind: "waiting", epoch: next, for: "confirmations" };
        }
        epoch = next;
        break;
      }
      case "final":
        return { kind: "final", epoch };
    }
  }
}

/** What prepare spent on each step, in wall-clock ms (logged with the prepared epoch). */
export type PrepareTimings = {
  /** Reading the active wallet links. */
  links: number;
  /** Locking the linked wallets that have something available. */
  wallets: number;
  /** Reading every allocation (the previous epoch's leaves). */
  allocations: number;
  /** The ledger move: accounts, transfers, the allocation upsert and its check. */
  ledger: number;
  /** Building the tree and packing it for storage, while the ledger move waits on the database. */
  tree: number;
  /** Wall time of the ledger move and the tree together. */
  ledgerAndTree: number;
  /** The epoch and payout rows. */
  rows: number;
  /** Writing the tree's chunks and leaf buckets. */
  store: number;
};

/** Moves every linked user's available balance to settled and builds the cumulative tree. */
async function prepareEpoch(deps: SettlementDeps): Promise<SettlementEpoch | null> {
  const { db, chain } = deps;
  const next = (await lastEpochNumber(db)) + 1;
  const onChain = await chain.readState();
  if (onChain.epoch !== next - 1) {
    throw new SettlementError(
      "chain_out_of_step",
      `the distributor is at epoch ${onChain.epoch} but the ledger's last epoch is ${next - 1}; refusing to settle until they agree`,
    );
  }
  return db.transaction().execute(async (trx) => {
    if (!(await tryAdvisoryTransactionLock(trx, SETTLEMENT_LOCK_KEY))) return null;
    if (await findOpenEpoch(trx)) return null;
    if ((await lastEpochNumber(trx)) + 1 !== next) return null;

    const ms: PrepareTimings = {
      links: 0,
      wallets: 0,
      allocations: 0,
      ledger: 0,
      tree: 0,
      ledgerAndTree: 0,
      rows: 0,
      store: 0,
    };
    const since = (start: number) => Math.round(performance.now() - start);
    let start = performance.now();

    const links = await deps.linkedWallets(trx, deps.now?.() ?? new Date());
    ms.links = since(start);
    if (links.length === 0) return null;
    start = performance.now();
    // Only wallets with something available are locked and paid; idle links cost a read.
    const available = await lockAvailableWallets(
      trx,
      links.map((l) => l.userId),
    );
    const payouts = links.flatMap((link) => {
      const wallet = available.get(link.userId);
      return wallet ? [{ ...link, walletId: wallet.walletId, amount: wallet.available }] : [];
    });
    if (payouts.length === 0) return null;
    ms.wallets = since(start);

    // The new leaves are the previous ones plus this epoch's payouts, known before anything
    // is written, so the tree is built while the database records the ledger move.
    start = performance.now();
    const leaves = withPayouts(await listAllocations(trx), payouts);
    ms.allocations = since(start);
    const minted = payouts.reduce((sum, p) => sum + p.amount, 0n);
    const cumulativeTotal = leaves.reduce((sum, l) => sum + l.cumulative, 0n);
    if (cumulativeTotal !== onChain.totalCumulative + minted) {
      throw new SettlementError(
        "chain_out_of_step",
        `allocations total ${cumulativeTotal} but the distributor holds ${onChain.totalCumulative} and this epoch adds ${minted}`,
      );
    }

    const overlapStart = performance.now();
    const buildTree = async () => {
      const treeStart = performance.now();
      const tree = await buildSettlementTree(leaves);
      const packed = await packEpochTree(tree);
      ms.tree = since(treeStart);
      return { tree, packed };
    };
    const moveLedger = async () => {
      const ledgerStart = performance.now();
      const ids = await ensureAccountsInBulk(
        trx,
        payouts.flatMap((p) => userAccounts(p.userId)),
      );
      const transfers = await recordTransfers(
        trx,
        payouts.map((p) => ({
          phase: "single" as const,
          key: `settlement:${next}:${p.userId}`,
          debitAccountId: p.walletId,
          creditAccountId: ids.get(accountCodes.userSettled(p.userId))!,
          amount: p.amount,
          kind: "settlement",
          memo: `Settled on chain to ${shortAddress(p.address)} (epoch ${next})`,
        })),
      );
      await addToAllocations(trx, next, payouts);
      const stored = await allocationTotals(trx);
      if (stored.count !== leaves.length || stored.total !== cumulativeTotal) {
        throw new Error(
          `settlement allocations changed under epoch ${next}: ${stored.count} totalling ${stored.total}, expected ${leaves.length} totalling ${cumulativeTotal}`,
        );
      }
      ms.ledger = since(ledgerStart);
      return transfers;
    };
    // Both run to the end before either's failure is thrown: no query may outlive the transaction.
    const [built, moved] = await Promise.allSettled([buildTree(), moveLedger()]);
    if (built.status === "rejected") throw built.reason;
    if (moved.status === "rejected") throw moved.reason;
    const { tree, packed } = built.value;
    const transfers = moved.value;
    ms.ledgerAndTree = since(overlapStart);

    start = performance.now();
    await insertPreparedEpoch(trx, {
      epoch: next,
      chainId: chain.chainId,
      distributor: chain.distributor,
      root: tree.root,
      cumulativeTotal,
      minted,
      leafCount: leaves.length,
      payoutCount: payouts.length,
    });
    await insertPayouts(
      trx,
      next,
      payouts.map((p, i) => ({ ...p, transferId: transfers[i]!.transfer.id })),
    );
    ms.rows = since(start);
    start = performance.now();
    await insertPackedTree(trx, next, packed);
    ms.store = since(start);
    deps.logger?.info(
      {
        epoch: next,
        payouts: payouts.length,
        leaves: leaves.length,
        minted: formatMicro(minted),
        ms,
      },
      "settlement epoch prepared",
    );
    return (await findEpoch(trx, next))!;
  });
}

/**
 * The allocations after this epoch's payouts, as addToAllocations leaves them in the
 * database: each payout adds to its address's cumulative amount, or starts a new one.
 */
function withPayouts(
  allocations: { address: Address; cumulative: bigint }[],
  payouts: readonly { address: Address; amount: bigint }[],
): SettlementLeaf[] {
  const added = new Map<string, bigint>();
  for (const p of payouts) added.set(p.address, (added.get(p.address) ?? 0n) + p.amount);
  const leaves: SettlementLeaf[] = allocations;
  for (let i = 0; i < leaves.length; i++) {
    const amount = added.get(leaves[i]!.address);
    if (amount === undefined) continue;
    leaves[i] = { address: leaves[i]!.address, cumulative: leaves[i]!.cumulative + amount };
    added.delete(leaves[i]!.address);
  }
  for (const [address, amount] of added) {
    leaves.push({ address: address as Address, cumulative: amount });
  }
  return leaves;
}

async function sign(deps: SettlementDeps, epoch: SettlementEpoch): Promise<SettlementEpoch> {
  let signed;
  try {
    signed = await deps.chain.signPublishRoot({
      epoch: epoch.epoch,
      root: epoch.root,
      cumulativeTotal: epoch.cumulativeTotal,
    });
  } catch (error) {
    // The root may already be on chain (a transaction this ledger lost track of).
    if (error instanceof ChainRevertError && error.errorName === "EpochOutOfOrder") {
      const reconciled = await reconcileFromChain(deps, epoch);
      if (reconciled) return reconciled;
    }
    throw error;
  }
  await recordEpochSigned(deps.db, epoch, signed);
  const stored = (await findEpoch(deps.db, epoch.epoch))!;
  if (stored.txHash === signed.hash) await deps.onStep?.("signed", epoch.epoch);
  return stored;
}

async function submit(deps: SettlementDeps, epoch: SettlementEpoch): Promise<SettlementEpoch> {
  const { chain } = deps;
  await chain.broadcast(epoch.signedTx!);
  await deps.onStep?.("broadcast", epoch.epoch);
  const outcome = await chain.waitForOutcome(epoch.txHash!, deps.receiptTimeoutMs ?? 30_000);
  if (outcome?.status === "success") {
    return markConfirmed(deps, epoch, epoch.txHash!, outcome.blockNumber);
  }
  // Reverted, dropped or slow: the chain's own record of the epoch decides.
  const reconciled = await reconcileFromChain(deps, epoch);
  if (reconciled) return reconciled;
  const stillPending = !outcome && (await chain.isKnown(epoch.txHash!));
  const nonceTaken = (await chain.minedNonce()) > (epoch.txNonce ?? Number.MAX_SAFE_INTEGER);
  if (stillPending && !nonceTaken) return epoch;
  deps.logger?.warn(
    { epoch: epoch.epoch, txHash: epoch.txHash, reverted: outcome?.status === "reverted" },
    "settlement transaction did not land; signing it again",
  );
  // Safe to sign afresh: the contract accepts this epoch's root exactly once.
  return sign(deps, epoch);
}

async function finalise(deps: SettlementDeps, epoch: SettlementEpoch): Promise<SettlementEpoch> {
  const { chain, db } = deps;
  const outcome = await chain.outcome(epoch.txHash!);
  if (!outcome || outcome.status !== "success") {
    // The block that held it was reorganised away: send the same transaction again.
    await markConfirmedEpochSubmittedAgain(db, epoch.epoch);
    return (await findEpoch(db, epoch.epoch))!;
  }
  const head = await chain.blockNumber();
  if (head - outcome.blockNumber + 1n < BigInt(chain.confirmations)) return epoch;
  await db.transaction().execute(async (trx) => {
    if (await markEpochFinal(trx, epoch.epoch, outcome.blockNumber)) {
      await pruneTreesBefore(trx, epoch.epoch);
    }
  });
  const final = (await findEpoch(db, epoch.epoch))!;
  if (final.status === "final") {
    deps.logger?.info(
      { epoch: final.epoch, txHash: final.txHash, block: final.blockNumber?.toString() },
      "settlement epoch final",
    );
    await deps.onStep?.("final", final.epoch);
  }
  return final;
}

/** When the distributor already has this epoch, record its transaction; a different root is an alarm. */
async function reconcileFromChain(
  deps: SettlementDeps,
  epoch: SettlementEpoch,
): Promise<SettlementEpoch | null> {
  const published = await deps.chain.findRootPublication(epoch.epoch);
  if (!published) return null;
  if (published.root !== epoch.root) {
    throw new SettlementError(
      "root_mismatch",
      `epoch ${epoch.epoch} on chain has root ${published.root}, the ledger prepared ${epoch.root}`,
    );
  }
  return markConfirmed(deps, epoch, published.txHash, published.blockNumber);
}

async function markConfirmed(
  deps: SettlementDeps,
  epoch: SettlementEpoch,
  txHash: `0x${string}`,
  blockNumber: bigint,
): Promise<SettlementEpoch> {
  if (await markEpochConfirmed(deps.db, epoch.epoch, txHash, blockNumber)) {
    await deps.onStep?.("confirmed", epoch.epoch);
  }
  return (await findEpoch(deps.db, epoch.epoch))!;
}
