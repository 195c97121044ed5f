// Browser-safe MICRO amounts for display and form input. core/ledger/amount.ts's
// formatMicro cannot reach a browser bundle (core/ is server-only), so the live toast
// formats with this copy; a test keeps the two in agreement. Integers only: no floats.

const DECIMALS = 18;
const BASE_UNITS_PER_MICRO = 10n ** BigInt(DECIMALS);
const MAX_AMOUNT = 10n ** 78n - 1n;

/** "1.5" for 1.5 × 10^18 base units (given as bigint or a string of digits); display only. */
export function formatMicroUnits(value: bigint | string, maxFractionDigits = DECIMALS): string {
  const amount = typeof value === "bigint" ? value : BigInt(value);
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const whole = abs / BASE_UNITS_PER_MICRO;
  const fraction = (abs % BASE_UNITS_PER_MICRO)
    .toString()
    .padStart(DECIMALS, "0")
    .slice(0, maxFractionDigits)
    .replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** "+0.01" / "-0.01" / "0": an amount with its direction. */
export function formatSignedMicro(value: bigint | string): string {
  const amount = typeof value === "bigint" ? value : BigInt(value);
  return amount > 0n ? `+${formatMicroUnits(amount)}` : formatMicroUnits(amount);
}

/**
 * Reads what an admin typed as a positive amount: a MICRO decimal with up to 18 places
 * ("0.01", "1,000.5") or whole base units ("10000000000000000"). Null when it is not one.
 */
export function parseAmountInput(text: string, unit: "micro" | "base"): bigint | null {
  const cleaned = text.trim().replace(/[,_\s]/g, "");
  let amount: bigint;
  if (unit === "base") {
    if (!/^[0-9]{1,78}$/.test(cleaned)) return null;
    amount = BigInt(cleaned);
  } else {
    const match = /^([0-9]{1,60})?(?:\.([0-9]{1,18}))?$/.exec(cleaned);
    if (!match || (match[1] === undefined && match[2] === undefined)) return null;
    const whole = BigInt(match[1] ?? "0");
    const fraction = BigInt((match[2] ?? "").padEnd(DECIMALS, "0"));
    amount = whole * BASE_UNITS_PER_MICRO + fraction;
  }
  return amount > 0n && amount <= MAX_AMOUNT ? amount : null;
}

/** An amount as loaders send it: MICRO for reading, exact base units for hovering and copying. */
export type DisplayAmount = { micro: string; units: string };
