import { formatMicro } from "#core/ledger/amount.ts";
import type { DisplayAmount } from "./micro-amount.ts";

/** Formats on the server with the ledger's own formatter (display only). */
export function displayAmount(amount: bigint): DisplayAmount {
  return { micro: formatMicro(amount), units: amount.toString() };
}
