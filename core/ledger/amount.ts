/** 1 MICRO = 10^18 base units; every amount in the system is an integer of base units. */
export const BASE_UNITS_PER_MICRO = 10n ** 18n;
/** numeric(78,0) holds at most 78 digits; so does a uint256. */
export const MAX_AMOUNT = 10n ** 78n - 1n;

/** A transfer amount: a positive integer of base units that fits numeric(78,0), or null. */
export function asTransferAmount(value: unknown): bigint | null {
  if (typeof value === "bigint") return value > 0n && value <= MAX_AMOUNT ? value : null;
  if (typeof value === "string" && /^[1-9][0-9]{0,77}$/.test(value)) return BigInt(value);
  return null;
}

/** "1.5" for 1.5 × 10^18 base units, trimmed of trailing zeros; display only. */
export function formatMicro(amount: bigint, maxFractionDigits = 18): string {
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const whole = abs / BASE_UNITS_PER_MICRO;
  const fraction = (abs % BASE_UNITS_PER_MICRO)
    .toString()
    .padStart(18, "0")
    .slice(0, maxFractionDigits)
    .replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}
