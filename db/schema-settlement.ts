import type { ColumnType, Selectable } from "kysely";
import type { Amount, DefaultedTimestamp, Serial, Timestamp } from "./schema.ts";

/** bigint columns that are not serial: written and read as bigint. */
type BigIntColumn = ColumnType<bigint, bigint | number, bigint | number>;

export type SettlementEpochStatus = "prepared" | "submitted" | "confirmed" | "final";

/** One settlement epoch: a recorded state machine, so a restart resumes where it stopped. */
export interface SettlementEpochsTable {
  epoch: number;
  status: SettlementEpochStatus;
  chain_id: number;
  distributor: string;
  root: string;
  cumulative_total: Amount;
  minted: Amount;
  leaf_count: number;
  payout_count: number;
  prepared_at: DefaultedTimestamp;
  signed_tx: string | null;
  tx_hash: string | null;
  tx_nonce: number | null;
  submitted_at: Timestamp | null;
  block_number: BigIntColumn | null;
  confirmed_at: Timestamp | null;
  finalized_at: Timestamp | null;
}

/** What each user's available balance moved to settled in an epoch, and to which address. */
export interface SettlementPayoutsTable {
  epoch: number;
  user_id: string;
  address: string;
  amount: Amount;
  transfer_id: BigIntColumn;
}

/** Every address ever settled to, with the cumulative total the chain owes it. */
export interface SettlementAllocationsTable {
  address: string;
  user_id: string;
  cumulative: Amount;
  updated_epoch: number;
}

/**
 * An epoch's Merkle tree, flat (StandardMerkleTree layout), in chunks of 32-byte nodes
 * (chunk ≥ 0), and its leaves packed in address buckets (chunk < 0: bucket −1 − chunk,
 * 56-byte entries of address | cumulative | tree index; see settlement.repository.ts).
 */
export interface SettlementTreeChunksTable {
  epoch: number;
  chunk: number;
  nodes: Uint8Array;
}

/** Claimed events read from the distributor. */
export interface SettlementClaimsTable {
  tx_hash: string;
  log_index: number;
  block_number: BigIntColumn;
  address: string;
  paid: Amount;
  cumulative: Amount;
  indexed_at: DefaultedTimestamp;
}

export type ClaimRelayStatus = "sent" | "confirmed" | "failed";

/** Claims the platform sent (and paid gas for) on a user's behalf. */
export interface SettlementClaimRelaysTable {
  id: Serial;
  address: string;
  cumulative: Amount;
  requested_by: string;
  tx_hash: string | null;
  status: ClaimRelayStatus;
  error: string | null;
  created_at: DefaultedTimestamp;
}

/** Small named cursors and facts (last indexed block, deployment addresses). */
export interface ChainStateTable {
  name: string;
  value: string;
  updated_at: DefaultedTimestamp;
}

export interface SettlementTables {
  settlement_epochs: SettlementEpochsTable;
  settlement_payouts: SettlementPayoutsTable;
  settlement_allocations: SettlementAllocationsTable;
  settlement_tree_chunks: SettlementTreeChunksTable;
  settlement_claims: SettlementClaimsTable;
  settlement_claim_relays: SettlementClaimRelaysTable;
  chain_state: ChainStateTable;
}

export type SettlementEpochRow = Selectable<SettlementEpochsTable>;
