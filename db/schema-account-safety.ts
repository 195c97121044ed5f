import type { ColumnType, Generated, Selectable } from "kysely";
import type { DefaultedTimestamp, Timestamp } from "./schema.ts";

/** Tables of account safety: email tokens, sign-in throttling, sign-up signals. */
export interface AccountSafetyTables {
  email_tokens: EmailTokensTable;
}

export type EmailTokenPurpose = "verify-email" | "reset-password";

/** Single-use links sent by mail; only a SHA-256 hash of the token is stored. */
export interface EmailTokensTable {
  id: Generated<string>;
  purpose: EmailTokenPurpose;
  user_id: string;
  /** The address the link was sent to: a verification proves this one, not a later one. */
  email: string;
  token_hash: Uint8Array;
  created_at: DefaultedTimestamp;
  expires_at: Timestamp;
  used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export type EmailTokenRow = Selectable<EmailTokensTable>;
