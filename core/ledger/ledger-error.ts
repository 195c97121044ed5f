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

/**
 * SQLSTATE of `refuse_statement(reason)` (migration 0010): a check inside a statement that
 * is its own transaction aborted it, and nothing it wrote remains.
 */
const STATEMENT_REFUSED = "TR001";

/** The reason a statement's own check gave for aborting it, or null for any other error. */
export function statementRefusal(error: unknown): string | null {
  return isPostgresError(error, STATEMENT_REFUSED) ? (error as Error).message : null;
}

/** Serialization failures and deadlocks: the transaction can simply be run again. */
export function isRetryableConflict(error: unknown): boolean {
  return isPostgresError(error, "40001") || isPostgresError(error, "40P01");
}

/** The reason a statement's own check aborts it with when a transfer names a missing account. */
export const UNKNOWN_ACCOUNT_REFUSAL = "unknown_account";

export function unknownAccount(): LedgerError {
  return new LedgerError("unknown_account", "A transfer names an account that does not exist.");
}

/** Runs a statement that moves balances, turning the database's refusals into LedgerErrors. */
export async function asLedgerError<T>(statement: () => Promise<T>): Promise<T> {
  try {
    return await statement();
  } catch (error) {
    if (statementRefusal(error) === UNKNOWN_ACCOUNT_REFUSAL) throw unknownAccount();
    if (isPostgresError(error, "23514")) {
      throw new LedgerError(
        "insufficient_funds",
        "The paying account does not have enough available to cover this transfer.",
      );
    }
    if (isPostgresError(error, "22003")) {
      throw new LedgerError("invalid_amount", "This transfer would overflow an account balance.");
    }
    throw error;
  }
}
