import { MAX_AMOUNT } from "#shared/money.ts";

/** A transfer amount: a positive integer of base units that fits numeric(78,0), or null. */
export function asTransferAmount(value: unknown): bigint | null {
  if (typeof value === "bigint") return value > 0n && value <= MAX_AMOUNT ? value : null;
  if (typeof value === "string" && /^[1-9][0-9]{0,77}$/.test(value)) return BigInt(value);
  return null;
}
