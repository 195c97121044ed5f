import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/** Timestamps come back as Date and can be written as Date or ISO string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp the database fills in (`default now()`) unless one is given. */
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface UsersTable {
  id: Generated<string>;
  handle: string;
  email: string;
  display_name: string;
  password_hash: string;
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

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  rate_limit_buckets: RateLimitBucketsTable;
  seed_runs: SeedRunsTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
