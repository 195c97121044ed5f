import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";
import type { SettlementTables } from "./schema-settlement.ts";
import type { GamesTables } from "./schema-games.ts";
import type { GamificationTables } from "./schema-gamification.ts";
import type { SocialTables } from "./schema-social.ts";
import type { AccountSafetyTables } from "./schema-account-safety.ts";
import type { IntegrityTables } from "./schema-integrity.ts";

/** Timestamps come back as Date and can be written as Date or ISO string. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp the database fills in (`default now()`) unless one is given. */
export type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface UsersTable {
  id: Generated<string>;
  handle: string;
  email: string;
  display_name: string;
  password_hash: string;
  is_admin: Generated<boolean>;
  bio: Generated<string>;
  avatar_image_id: ColumnType<
    bigint | null,
    bigint | string | null | undefined,
    bigint | string | null
  >;
  shows_earnings: Generated<boolean>;
  hidden_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** When the person proved they own `email`; null until then. */
  email_verified_at: ColumnType<
    Date | null,
    Date | string | null | undefined,
    Date | string | null
  >;
  /** When the account activated (verified email + engaged activity); welcome bonuses wait for it. */
  activated_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  follower_count: Generated<number>;
  following_count: Generated<number>;
  post_count: Generated<number>;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  secret_hash: Uint8Array;
  created_at: DefaultedTimestamp;
  last_verified_at: Timestamp;
  user_agent: string | null;
  ip: string | null;
}

export interface RateLimitBucketsTable {
  key: string;
  attempts: number;
  window_started_at: Timestamp;
}

export interface SeedRunsTable {
  name: string;
  ran_at: DefaultedTimestamp;
}

type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>;

export interface ScheduledStepsTable {
  name: string;
  running_until: NullableTimestamp;
  claim: string | null;
  last_started_at: NullableTimestamp;
  last_finished_at: NullableTimestamp;
}

/** numeric(78,0) comes back as an exact decimal string; write bigint or string. */
export type Amount = ColumnType<string, bigint | string, bigint | string>;
type DefaultedAmount = ColumnType<string, bigint | string | undefined, bigint | string>;
/** bigserial ids come back as bigint (see createDb). */
export type Serial = ColumnType<bigint, never, never>;

export type LedgerAccountKind =
  "user_wallet" | "user_invested" | "user_settled" | "budget" | "mint" | "fees";

export interface LedgerAccountsTable {
  id: Serial;
  code: string;
  kind: LedgerAccountKind;
  user_id: string | null;
  budget_id: string | null;
  must_not_overdraw: boolean;
  debits_pending: DefaultedAmount;
  debits_posted: DefaultedAmount;
  credits_pending: DefaultedAmount;
  credits_posted: DefaultedAmount;
  created_at: DefaultedTimestamp;
}

export type TransferPhase = "single" | "pending" | "post" | "void";

export interface LedgerTransfersTable {
  id: Serial;
  idempotency_key: string;
  debit_account_id: ColumnType<bigint, bigint, never>;
  credit_account_id: ColumnType<bigint, bigint, never>;
  amount: Amount;
  kind: string;
  phase: TransferPhase;
  pending_id: ColumnType<bigint | null, bigint | null | undefined, never>;
  memo: string | null;
  created_at: DefaultedTimestamp;
}

export interface RewardBudgetsTable {
  id: string;
  name: string;
  kind: "daily_emission" | "escrow";
  daily_amount: ColumnType<
    string | null,
    bigint | string | null | undefined,
    bigint | string | null
  >;
  account_id: ColumnType<bigint, bigint, never>;
  created_at: DefaultedTimestamp;
}

export interface RewardRulesTable {
  action_kind: string;
  label: string;
  amount: Amount;
  daily_cap: number | null;
  per_target_daily_cap: number | null;
  hold_seconds: number;
  budget_id: string;
  is_enabled: Generated<boolean>;
  updated_at: DefaultedTimestamp;
  updated_by: string | null;
}

export type RewardStatus = "held" | "available" | "refused" | "reversed";

export interface RewardsTable {
  id: Serial;
  idempotency_key: string;
  user_id: string;
  action_kind: string;
  target_key: string | null;
  memo: string;
  amount: Amount;
  status: RewardStatus;
  reason_code: string | null;
  reason: string | null;
  budget_id: string | null;
  transfer_id: ColumnType<bigint | null, bigint | null | undefined, bigint | null>;
  hold_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: DefaultedTimestamp;
  settled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface RewardCountersTable {
  key: string;
  count: number;
  day: ColumnType<Date, Date | string, Date | string>;
}

export interface RewardAppealsTable {
  reward_id: ColumnType<bigint, bigint, never>;
  user_id: string;
  message: string;
  status: "open" | "approved" | "denied";
  decision_reason: string | null;
  decided_by: string | null;
  created_at: DefaultedTimestamp;
  decided_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export type SiweNoncePurpose = "link" | "sign-in";

/** Single-use Sign-In with Ethereum nonces; used and expired ones stay a day to explain replays. */
export interface SiweNoncesTable {
  nonce: string;
  purpose: SiweNoncePurpose;
  /** The user a link nonce was issued to; null for sign-in nonces. */
  user_id: string | null;
  created_at: DefaultedTimestamp;
  expires_at: Timestamp;
  used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** Which address a user linked, and when; an unlinked row stays as history. */
export interface WalletLinksTable {
  id: Generated<string>;
  user_id: string;
  /** EIP-55 checksummed; unique among active links in lower case. */
  address: string;
  /** Null for a pasted address: no wallet signed. */
  chain_id: ColumnType<bigint | null, bigint | number | null, never>;
  /** 'siwe': proved by a signed message; 'pasted': confirmed by the account's password. */
  kind: WalletLinkKind;
  siwe_message: string | null;
  signature: string | null;
  linked_at: DefaultedTimestamp;
  /** Settlement pays this address from here on: linked_at for 'siwe', after a cooling-off for 'pasted'. */
  receives_from: ColumnType<Date, Date | string, never>;
  unlinked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export type WalletLinkKind = "siwe" | "pasted";

export interface Database
  extends
    SettlementTables,
    SocialTables,
    GamesTables,
    GamificationTables,
    AccountSafetyTables,
    IntegrityTables {
  users: UsersTable;
  sessions: SessionsTable;
  rate_limit_buckets: RateLimitBucketsTable;
  seed_runs: SeedRunsTable;
  scheduled_steps: ScheduledStepsTable;
  ledger_accounts: LedgerAccountsTable;
  ledger_transfers: LedgerTransfersTable;
  reward_budgets: RewardBudgetsTable;
  reward_rules: RewardRulesTable;
  rewards: RewardsTable;
  reward_counters: RewardCountersTable;
  reward_appeals: RewardAppealsTable;
  siwe_nonces: SiweNoncesTable;
  wallet_links: WalletLinksTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type SiweNonceRow = Selectable<SiweNoncesTable>;
export type WalletLinkRow = Selectable<WalletLinksTable>;
