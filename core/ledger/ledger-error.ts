export type LedgerErrorCode =
  | "invalid_amount"
  | "invalid_kind"
  | "invalid_key"
  | "same_account"
  | "unknown_account"
  | "idempotency_conflict"
  | "insufficient_funds"
  | "pending_not_found"
  | "pending_already_resolved";

/** A transfer that must not happen; the transaction it was part of writes nothing. */
export class LedgerError extends Error {
  constructor(
    readonly code: LedgerErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "LedgerError";
  }
}

export function isPostgresError(error: unknown, code: string): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === code;
}

/** Serialization failures and deadlocks: the transaction can simply be run again. */
export function isRetryableConflict(error: unknown): boolean {
  return isPostgresError(error, "40001") || isPostgresError(error, "40P01");
}
