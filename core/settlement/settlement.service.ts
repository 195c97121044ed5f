import { getAddress, isAddress, type Address, type Hex } from "viem";
import { ChainRevertError, type SettlementChain } from "#chain/settlement-chain.ts";
import { err, ok, type Result } from "#core/result.ts";
import type { Db } from "#db/create-db.ts";
import {
  findClaimRelay,
  findFirstSettlementBlock,
  findLatestPublishedEpoch,
  findLeaf,
  insertClaims,
  isAddressSettledToUser,
  listAllocations,
  listEpochs,
  listSentClaimRelays,
  listUserAddressTotals,
  listUserPayouts,
  readChainState,
  readTreeNodes,
  recordClaimRelayOutcome,
  recordClaimRelayTransaction,
  startClaimRelayWithinLimit,
  sumMintedInFlight,
  sumSettledInLedger,
  writeChainState,
  type SettlementEpoch,
} from "./settlement.repository.ts";
import { proofNodeIndexes, toHex } from "./settlement-tree.ts";

export type ClaimProof = {
  epoch: number;
  root: Hex;
  account: Address;
  cumulative: bigint;
  proof: Hex[];
  chainId: number;
  distributor: Address;
};

/** Everything a wallet needs to call `claim` itself, against the root that is on chain now. */
export async function getClaimProof(db: Db, account: Address): Promise<ClaimProof | null> {
  const epoch = await findLatestPublishedEpoch(db);
  if (!epoch) return null;
  const leaf = await findLeaf(db, epoch.epoch, account);
  if (!leaf) return null;
  const indexes = proofNodeIndexes(leaf.treeIndex);
  const nodes = await readTreeNodes(db, epoch.epoch, indexes);
  return {
    epoch: epoch.epoch,
    root: epoch.root,
    account,
    cumulative: leaf.cumulative,
    proof: indexes.map((i) => toHex(nodes.get(i)!)),
    chainId: epoch.chainId,
    distributor: epoch.distributor,
  };
}

export type AddressSettlement = {
  address: Address;
  /** Settled to this address in epochs whose root is on chain. */
  onChain: bigint;
  /** Claimed from the distributor, as indexed from its Claimed events. */
  claimed: bigint;
  claimable: bigint;
  /** Settled in the ledger, root not yet on chain. */
  inFlight: bigint;
};

export type SettlementPayout = {
  epoch: number;
  address: Address;
  amount: bigint;
  status: SettlementEpoch["status"];
  txHash: Hex | null;
  settledAt: Date;
  confirmedAt: Date | null;
};

export type UserSettlement = {
  addresses: AddressSettlement[];
  totalClaimable: bigint;
  totalClaimed: bigint;
  payouts: SettlementPayout[];
};

/** A user's side of settlement: per address what is on chain, claimed and claimable, and each epoch. */
export async function getUserSettlement(
  db: Db,
  userId: string,
  options: { payoutLimit?: number } = {},
): Promise<UserSettlement> {
  const [payoutRows, addressRows] = await Promise.all([
    listUserPayouts(db, userId, options.payoutLimit ?? 20),
    listUserAddressTotals(db, userId),
  ]);
  const addresses = addressRows.map((r) => {
    const onChain = BigInt(r.on_chain ?? 0);
    const claimed = BigInt(r.claimed ?? 0);
    return {
      address: r.address as Address,
      onChain,
      claimed,
      claimable: onChain > claimed ? onChain - claimed : 0n,
      inFlight: BigInt(r.in_flight ?? 0),
    };
  });
  return {
    addresses,
    totalClaimable: addresses.reduce((sum, a) => sum + a.claimable, 0n),
    totalClaimed: addresses.reduce((sum, a) => sum + a.claimed, 0n),
    payouts: payoutRows.map((r) => ({
      epoch: r.epoch,
      address: r.address as Address,
      amount: BigInt(r.amount),
      status: r.status,
      txHash: r.tx_hash as Hex | null,
      settledAt: r.prepared_at,
      confirmedAt: r.confirmed_at,
    })),
  };
}

const CLAIMS_CURSOR = "claims_indexed_through_block";

/** Reads Claimed events up to the confirmed head into settlement_claims; safe to run anywhere, any time. */
export async function indexClaims(db: Db, chain: SettlementChain): Promise<number> {
  const head = await chain.blockNumber();
  const through = head - BigInt(chain.confirmations - 1);
  const cursor = await readChainState(db, CLAIMS_CURSOR);
  // No claim can precede the first root; before any root there is nothing to index.
  const from = cursor === null ? await findFirstSettlementBlock(db) : BigInt(cursor) + 1n;
  if (from === null || from > through) return 0;
  const logs = await chain.claimLogs(from, through);
  await db.transaction().execute(async (trx) => {
    await insertClaims(trx, logs);
    await writeChainState(trx, CLAIMS_CURSOR, through.toString());
  });
  return logs.length;
}

export type RelayClaimFailure =
  | { kind: "invalid_address"; message: string }
  | { kind: "not_your_address"; message: string }
  | { kind: "nothing_to_claim"; message: string }
  | { kind: "chain_refused"; message: string }
  | { kind: "relay_limit"; message: string; retryAt: Date; retryAfterSeconds: number };

/**
 * Relayed claims one user may have the platform send (and pay gas for) in any 24 hours.
 * Every epoch grows a user's cumulative, so without a cap each user could make the platform
 * pay for a dust claim every epoch; their own wallet can always claim instead.
 */
export const RELAYED_CLAIMS_PER_DAY = 3;
const RELAY_WINDOW_MS = 24 * 60 * 60 * 1000;

const relayTimeFormat = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});

export type RelayedClaim = { address: Address; cumulative: bigint; txHash: Hex; isReplay: boolean };

/**
 * Claims for one of the user's settled addresses from the platform's key, so a user
 * without gas still gets their MICRO. Idempotent per (address, cumulative): asking again
 * returns the claim already sent, free. New sends are capped per user (RELAYED_CLAIMS_PER_DAY).
 */
export async function relayClaim(
  db: Db,
  chain: SettlementChain,
  userId: string,
  rawAddress: string,
): Promise<Result<RelayedClaim, RelayClaimFailure>> {
  if (!isAddress(rawAddress, { strict: false })) {
    return err({ kind: "invalid_address", message: "That is not an Ethereum address." });
  }
  const address = getAddress(rawAddress);
  const owned = await isAddressSettledToUser(db, userId, address);
  if (!owned) {
    return err({
      kind: "not_your_address",
      message: "Nothing of yours was settled to that address.",
    });
  }
  const proof = await getClaimProof(db, address);
  const alreadyClaimed = proof ? await chain.claimedBy(address) : 0n;
  if (!proof || proof.cumulative <= alreadyClaimed) {
    return err({
      kind: "nothing_to_claim",
      message: "Everything settled to that address has been claimed already.",
    });
  }
  const existing = await findClaimRelay(db, address, proof.cumulative);
  if (existing?.txHash && existing.status !== "failed") {
    return ok({
      address,
      cumulative: proof.cumulative,
      txHash: existing.txHash,
      isReplay: true,
    });
  }
  if (existing?.txHash && existing.status === "failed") {
    // The chain took the transaction and reverted it: the same claim would revert again,
    // and each try spends the platform's gas.
    return err({
      kind: "chain_refused",
      message: `The claim we sent for you failed on chain (transaction ${existing.txHash}). We won't send it again: claim from your own wallet, or ask again after the next settlement.`,
    });
  }
  const started = await startClaimRelayWithinLimit(
    db,
    { address, cumulative: proof.cumulative, requestedBy: userId },
    { perWindow: RELAYED_CLAIMS_PER_DAY, windowMs: RELAY_WINDOW_MS },
  );
  if (started.kind === "limited") {
    const { retryAt } = started;
    return err({
      kind: "relay_limit",
      message: `You can ask us to send ${RELAYED_CLAIMS_PER_DAY} claims a day; claim from your own wallet, or try again after ${relayTimeFormat.format(retryAt)} UTC.`,
      retryAt,
      retryAfterSeconds: Math.max(1, Math.ceil((retryAt.getTime() - Date.now()) / 1000)),
    });
  }
  if (started.kind === "taken") {
    // Another request for the same claim won the race; it is being sent.
    const relay = await findClaimRelay(db, address, proof.cumulative);
    if (!relay) throw new Error(`the relay of ${address}'s claim of ${proof.cumulative} vanished`);
    return ok({
      address,
      cumulative: proof.cumulative,
      txHash: relay.txHash ?? "0x",
      isReplay: true,
    });
  }
  try {
    const txHash = await chain.sendClaim(address, proof.cumulative, proof.proof);
    await recordClaimRelayTransaction(db, started.id, txHash);
    // Where blocks come fast (the embedded chain) the claim is mined within moments: count
    // it now rather than at the next scheduled index. Best effort; the schedule catches up.
    if (await chain.waitForOutcome(txHash, RELAY_WAIT_MS))
      await indexClaims(db, chain).catch(() => 0);
    return ok({ address, cumulative: proof.cumulative, txHash, isReplay: false });
  } catch (error) {
    const message =
      error instanceof ChainRevertError
        ? `The distributor refused the claim (${error.errorName}).`
        : "The chain did not accept the claim; try again in a minute.";
    await recordClaimRelayOutcome(db, started.id, {
      status: "failed",
      error: String((error as Error).message ?? error).slice(0, 500),
    });
    return err({ kind: "chain_refused", message });
  }
}

const RELAY_WAIT_MS = 2_000;

/** Marks relayed claims whose transactions mined; returns how many changed. */
export async function settleRelayOutcomes(db: Db, chain: SettlementChain): Promise<number> {
  const sent = await listSentClaimRelays(db);
  let changed = 0;
  for (const relay of sent) {
    const outcome = await chain.outcome(relay.txHash);
    if (!outcome) continue;
    await recordClaimRelayOutcome(db, relay.id, {
      status: outcome.status === "success" ? "confirmed" : "failed",
      error: outcome.status === "success" ? null : "the claim transaction reverted",
    });
    changed++;
  }
  return changed;
}

export type ChainCheck = { name: string; ok: boolean; message: string };

/**
 * The chain half of ledger:verify: what the ledger settled equals what the distributor
 * received (plus epochs still on their way), and no address claimed more than it was
 * settled. Reads the chain's own events, not our index of them.
 */
export async function verifySettlementOnChain(
  db: Db,
  chain: SettlementChain,
): Promise<ChainCheck[]> {
  const checks: ChainCheck[] = [];
  const state = await chain.readState();
  const ledgerSettled = await sumSettledInLedger(db);
  const notYetOnChain = await sumMintedInFlight(db);
  checks.push({
    name: "settled total matches the distributor",
    ok: ledgerSettled === state.totalCumulative + notYetOnChain,
    message: `ledger settled ${ledgerSettled}; distributor received ${state.totalCumulative}; in flight ${notYetOnChain}`,
  });
  const [supply, held] = await Promise.all([
    chain.tokenBalance(chain.distributor),
    (async () => {
      const head = await chain.blockNumber();
      const logs = await chain.claimLogs(0n, head);
      const claimedByAddress = new Map<string, bigint>();
      let claimedTotal = 0n;
      for (const log of logs) {
        const key = getAddress(log.account);
        claimedByAddress.set(key, (claimedByAddress.get(key) ?? 0n) + log.paid);
        claimedTotal += log.paid;
      }
      return { claimedByAddress, claimedTotal };
    })(),
  ]);
  checks.push({
    name: "distributor balance plus claims equals what it received",
    ok: supply + held.claimedTotal === state.totalCumulative,
    message: `distributor holds ${supply}, paid out ${held.claimedTotal}, received ${state.totalCumulative}`,
  });
  const allocations = new Map(
    (await listAllocations(db)).map((a) => [a.address as string, a.cumulative]),
  );
  const over = [...held.claimedByAddress].filter(
    ([address, claimed]) => claimed > (allocations.get(address) ?? 0n),
  );
  checks.push({
    name: "no address claimed more than it was settled",
    ok: over.length === 0,
    message:
      over.length === 0
        ? `${held.claimedByAddress.size} addresses have claimed, none over their settled total`
        : over
            .slice(0, 20)
            .map(([a, c]) => `${a} claimed ${c} but was settled ${allocations.get(a) ?? 0n}`)
            .join("; "),
  });
  return checks;
}

/** Settlement epochs, newest first, before epoch `before` when given. */
export function listSettlementEpochs(
  db: Db,
  page: { limit: number; before?: number | null },
): Promise<SettlementEpoch[]> {
  return listEpochs(db, page);
}
