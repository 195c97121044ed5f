// MICRO amounts as text, for the server and the browser alike: one formatter, one parser.
// Every amount in the system is a bigint of base units; decimals exist only in text, so
// nothing here touches a float.

/** MICRO has 18 decimals, as the token does on chain. */
export const MICRO_DECIMALS = 18;
/** 1 MICRO = 10^18 base units; every amount in the system is an integer of base units. */
export const BASE_UNITS_PER_MICRO = 10n ** BigInt(MICRO_DECIMALS);
/** numeric(78,0) holds at most 78 digits; so does a uint256. */
export const MAX_AMOUNT = 10n ** 78n - 1n;
/** The most whole MICRO an amount can have: MAX_AMOUNT / 10^18 has 60 digits. */
const MAX_WHOLE_DIGITS = 60;

/** An amount as loaders send it: MICRO for reading, exact base units for hovering and copying. */
export type DisplayAmount = { micro: string; units: string };

/** An amount ready to send to the browser (display only). */
export function displayAmount(amount: bigint): DisplayAmount {
  return { micro: formatMicro(amount), units: amount.toString() };
}

/**
 * "1.5" for 1.5 × 10^18 base units (given as a bigint or a string of digits, as loaders
 * send them), trimmed of trailing zeros; display only.
 */
export function formatMicro(value: bigint | string, maxFractionDigits = MICRO_DECIMALS): string {
  const amount = typeof value === "bigint" ? value : BigInt(value);
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const whole = abs / BASE_UNITS_PER_MICRO;
  const fraction = (abs % BASE_UNITS_PER_MICRO)
    .toString()
    .padStart(MICRO_DECIMALS, "0")
    .slice(0, maxFractionDigits)
    .replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** "+0.01" / "-0.01" / "0": an amount with its direction. */
export function formatSignedMicro(value: bigint | string): string {
  const amount = typeof value === "bigint" ? value : BigInt(value);
  return amount > 0n ? `+${formatMicro(amount)}` : formatMicro(amount);
}

/** Below this (10^-6 MICRO, 10^12 base units) an amount shows as "< 0.000001": dust. */
export const DUST_THRESHOLD = 10n ** 12n;
const DUST_TEXT = "0.000001";

/** "1234567" → "1,234,567": fixed separators, so server and browser render alike. */
const groupThousands = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/**
 * The one rule for showing an amount to a person, with a sense of scale and exact
 * arithmetic (display only; forms and CSV keep formatMicro's exact text):
 * - zero is "0"; a non-zero amount never shows as "0";
 * - below 10^-6 MICRO it is dust: "< 0.000001" ("> -0.000001" when negative);
 * - below 1 MICRO, 4 significant digits ("0.0002", "0.01234");
 * - from 1 MICRO, 2 to 4 decimals (2 from 1,000), none for a whole amount, with
 *   thousands separators ("1.0022", "1.50", "12,345.67", "1,000,000").
 * Digits beyond those shown are cut, never rounded up, so a balance never reads as more
 * than it is. `isSigned` adds "+" to a positive amount.
 */
export function formatMicroForDisplay(
  value: bigint | string,
  { isSigned = false }: { isSigned?: boolean } = {},
): string {
  const amount = typeof value === "bigint" ? value : BigInt(value);
  if (amount === 0n) return "0";
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const sign = negative ? "-" : isSigned ? "+" : "";
  if (abs < DUST_THRESHOLD) return negative ? `> -${DUST_TEXT}` : `< ${sign}${DUST_TEXT}`;
  const whole = abs / BASE_UNITS_PER_MICRO;
  const fractionDigits = (abs % BASE_UNITS_PER_MICRO).toString().padStart(MICRO_DECIMALS, "0");
  let fraction: string;
  if (whole === 0n) {
    // 4 significant digits: everything up to the first non-zero digit, then 3 more.
    const firstSignificant = fractionDigits.search(/[1-9]/);
    fraction = fractionDigits.slice(0, firstSignificant + 4).replace(/0+$/, "");
  } else {
    const maxDecimals = whole >= 1000n ? 2 : 4;
    fraction = fractionDigits.slice(0, maxDecimals).replace(/0+$/, "");
    if (fraction !== "") fraction = fraction.padEnd(2, "0");
  }
  return `${sign}${groupThousands(whole.toString())}${fraction ? `.${fraction}` : ""}`;
}

export type MicroTextError = {
  code:
    | "empty"
    | "has_whitespace"
    | "has_sign"
    | "has_exponent"
    | "not_a_decimal"
    | "too_many_decimals"
    | "too_large";
  message: string;
};

/** Same shape as core/result.ts' Result (shared/ may not import core/). */
export type MicroTextResult = { ok: true; value: bigint } | { ok: false; error: MicroTextError };

const refused = (code: MicroTextError["code"], message: string): MicroTextResult => ({
  ok: false,
  error: { code, message },
});

/**
 * Reads a MICRO decimal ("0.0002", "12", ".5") into base units, exactly: digits, at most
 * one point, at most 18 decimals, at most MAX_AMOUNT. Nothing is trimmed or rounded; a
 * sign ("-1", "+1") only when `isSigned`. Refusals are values with a message a user can
 * act on, for form input; see parseMicro for amounts written in code.
 */
export function tryParseMicro(
  text: string,
  { isSigned = false }: { isSigned?: boolean } = {},
): MicroTextResult {
  if (text.trim() === "") return refused("empty", "Enter an amount.");
  if (/\s/.test(text)) {
    return refused("has_whitespace", "Write the amount without spaces.");
  }
  const sign = text[0] === "-" || text[0] === "+" ? text[0] : "";
  if (sign && !isSigned) return refused("has_sign", "Write the amount without a sign.");
  const unsigned = text.slice(sign.length);
  if (/^(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+$/.test(unsigned)) {
    return refused("has_exponent", "Write the amount out in full, without an exponent.");
  }
  const match = /^([0-9]*)(?:\.([0-9]+))?$/.exec(unsigned);
  if (!match || (match[1] === "" && match[2] === undefined)) {
    return refused("not_a_decimal", "An amount is digits with at most one point, like 0.01.");
  }
  const [, whole = "", fraction = ""] = match;
  if (fraction.length > MICRO_DECIMALS) {
    return refused("too_many_decimals", `An amount has at most ${MICRO_DECIMALS} decimals.`);
  }
  // Checked before BigInt so that a long string of digits costs nothing to refuse.
  if (whole.replace(/^0+/, "").length > MAX_WHOLE_DIGITS) {
    return refused("too_large", "That amount is too large.");
  }
  const units =
    BigInt(whole || "0") * BASE_UNITS_PER_MICRO +
    BigInt(fraction.padEnd(MICRO_DECIMALS, "0") || "0");
  if (units > MAX_AMOUNT) return refused("too_large", "That amount is too large.");
  return { ok: true, value: sign === "-" ? -units : units };
}

/**
 * `parseMicro("0.0002")` is 2 × 10^14 base units, exactly: for amounts written in code and
 * configuration, where a malformed one is a programmer's mistake, so it throws (a
 * RangeError naming the text). Same grammar as tryParseMicro.
 */
export function parseMicro(text: string, options: { isSigned?: boolean } = {}): bigint {
  const result = tryParseMicro(text, options);
  if (!result.ok) throw new RangeError(`"${text}" is not a MICRO amount: ${result.error.message}`);
  return result.value;
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
    const parsed = tryParseMicro(cleaned);
    if (!parsed.ok) return null;
    amount = parsed.value;
  }
  return amount > 0n && amount <= MAX_AMOUNT ? amount : null;
}
