import { sql } from "kysely";
import type { Logger } from "pino";
import type { Address } from "viem";
import { ChainRevertError, type SettlementChain } from "#chain/settlement-chain.ts";
import {
  accountCodes,
  ensureAccounts,
  lockAccounts,
  spendable,
  userAccounts,
} from "#core/ledger/accounts.repository.ts";
import { formatMicro } from "#core/ledger/amount.ts";
import { recordTransfers } from "#core/ledger/transfers.ts";
import type { Db } from "#db/create-db.ts";
import {
  addToAllocations,
  findEpoch,
  findOpenEpoch,
  insertEpochTree,
  lastEpochNumber,
  listAllocations,
  pruneTreesBefore,
  type SettlementEpoch,
} from "./settlement.repository.ts";
import { buildSettlementTree } from "./settlement-tree.ts";

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
  /** Every active wallet link (from core/wallet-link), read inside the prepare transaction. */
  linkedWallets: (db: Db) => Promise<LinkedWallet[]>;
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
    const { rows } = await sql<{ locked: boolean }>`
      select pg_try_advisory_xact_lock(${SETTLEMENT_LOCK_KEY}) as locked`.execute(trx);
    if (!rows[0]?.locked) return null;
    if (await findOpenEpoch(trx)) return null;
    if ((await lastEpochNumber(trx)) + 1 !== next) return null;

    const links = await deps.linkedWallets(trx);
    if (links.length === 0) return null;
    const ids = await ensureAccounts(
      trx,
      links.flatMap((l) => userAccounts(l.userId)),
    );
    const walletIds = links.map((l) => ids.get(accountCodes.userWallet(l.userId))!);
    const balances = new Map(
      (await lockAccounts(trx, walletIds, "users")).map((a) => [a.id, spendable(a)]),
    );
    const payouts = links
      .map((link, i) => ({
        ...link,
        walletId: walletIds[i]!,
        amount: balances.get(walletIds[i]!) ?? 0n,
      }))
      .filter((p) => p.amount > 0n);
    if (payouts.length === 0) return null;

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
    const leaves = await listAllocations(trx);
    const tree = await buildSettlementTree(leaves);
    const minted = payouts.reduce((sum, p) => sum + p.amount, 0n);
    const cumulativeTotal = leaves.reduce((sum, l) => sum + l.cumulative, 0n);
    if (cumulativeTotal !== onChain.totalCumulative + minted) {
      throw new SettlementError(
        "chain_out_of_step",
        `allocations total ${cumulativeTotal} but the distributor holds ${onChain.totalCumulative} and this epoch adds ${minted}`,
      );
    }
    await trx
      .insertInto("settlement_epochs")
      .values({
        epoch: next,
        status: "prepared",
        chain_id: chain.chainId,
        distributor: chain.distributor,
        root: tree.root,
        cumulative_total: cumulativeTotal,
        minted,
        leaf_count: leaves.length,
        payout_count: payouts.length,
      })
      .execute();
    await trx
      .insertInto("settlement_payouts")
      .values(
        payouts.map((p, i) => ({
          epoch: next,
          user_id: p.userId,
          address: p.address,
          amount: p.amount,
          transfer_id: transfers[i]!.transfer.id,
        })),
      )
      .execute();
    await insertEpochTree(trx, next, leaves, tree);
    deps.logger?.info(
      { epoch: next, payouts: payouts.length, leaves: leaves.length, minted: formatMicro(minted) },
      "settlement epoch prepared",
    );
    return (await findEpoch(trx, next))!;
  });
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
  await deps.db
    .updateTable("settlement_epochs")
    .set({
      status: "submitted",
      signed_tx: signed.rawTx,
      tx_hash: signed.hash,
      tx_nonce: signed.nonce,
      submitted_at: new Date(),
    })
    .where("epoch", "=", epoch.epoch)
    .where("status", "=", epoch.status)
    .where("tx_hash", "is not distinct from", epoch.txHash)
    .execute();
  const stored = (await findEpoch(deps.db, epoch.epoch))!;
  if (stored.txHash === signed.hash) await deps.onStep?.("signed", epoch.epoch);
  return stored;
}

async function submit(deps: SettlementDeps, epoch: SettlementEpoch): Promise<SettlementEpoch> {
  const { chain } = deps;
  await chain.broadcast(epoch.signedTx!);
  await deps.onStep?.("broadcast", epoch.epoch);
  const outcome = await waitForOutcome(chain, epoch.txHash!, deps.receiptTimeoutMs ?? 30_000);
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
    await db
      .updateTable("settlement_epochs")
      .set({ status: "submitted", block_number: null, confirmed_at: null })
      .where("epoch", "=", epoch.epoch)
      .where("status", "=", "confirmed")
      .execute();
    return (await findEpoch(db, epoch.epoch))!;
  }
  const head = await chain.blockNumber();
  if (head - outcome.blockNumber + 1n < BigInt(chain.confirmations)) return epoch;
  await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable("settlement_epochs")
      .set({ status: "final", finalized_at: new Date(), block_number: outcome.blockNumber })
      .where("epoch", "=", epoch.epoch)
      .where("status", "=", "confirmed")
      .executeTakeFirst();
    if (updated.numUpdatedRows > 0n) await pruneTreesBefore(trx, epoch.epoch);
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
  const updated = await deps.db
    .updateTable("settlement_epochs")
    .set({
      status: "confirmed",
      tx_hash: txHash,
      block_number: blockNumber,
      confirmed_at: new Date(),
    })
    .where("epoch", "=", epoch.epoch)
    .where("status", "in", ["prepared", "submitted"])
    .executeTakeFirst();
  if (updated.numUpdatedRows > 0n) await deps.onStep?.("confirmed", epoch.epoch);
  return (await findEpoch(deps.db, epoch.epoch))!;
}

async function waitForOutcome(
  chain: SettlementChain,
  hash: `0x${string}`,
  timeoutMs: number,
): ReturnType<SettlementChain["outcome"]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const outcome = await chain.outcome(hash);
    if (outcome || Date.now() >= deadline) return outcome;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}
