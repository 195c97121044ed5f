// What an amount of MICRO is worth in the user's currency, at a rate the operator set (or
// a demo rate, labelled so). Browser-safe and exact: the rate is a decimal string, the
// product is computed on bigints, and Intl formats the resulting decimal string as is
// (Intl.NumberFormat formats strings without going through a float).

import { BASE_UNITS_PER_MICRO, MICRO_DECIMALS } from "./money.ts";

/** What the browser gets: the rate (a decimal string, never a float) and whether it is made up. */
export type ReferenceRate = { currency: string; ratePerMicro: string; isDemo: boolean };

/** The most decimals a reference value shows; anything smaller reads "< 0.00000001". */
export const MAX_REFERENCE_DECIMALS = 8;

const RATE_PATTERN = /^(?:0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

/**
 * `units` base units at `ratePerMicro` (the value of 1 MICRO as a decimal string), as an
 * exact decimal string in the reference currency: "0.0002" for 2 × 10^14 units at "1".
 * Throws a RangeError for a rate that is not a plain non-negative decimal.
 */
export function referenceDecimal(units: bigint | string, ratePerMicro: string): string {
  const match = RATE_PATTERN.exec(ratePerMicro);
  if (!match) throw new RangeError(`"${ratePerMicro}" is not a rate (a decimal such as 0.01)`);
  const rateDecimals = match[1]?.length ?? 0;
  const rateScaled = BigInt(ratePerMicro.replace(".", ""));
  const amount = typeof units === "bigint" ? units : BigInt(units);
  const product = amount * rateScaled;
  const scale = MICRO_DECIMALS + rateDecimals;
  const negative = product < 0n;
  const abs = negative ? -product : product;
  const divisor = BASE_UNITS_PER_MICRO * 10n ** BigInt(rateDecimals);
  const whole = abs / divisor;
  const fraction = (abs % divisor).toString().padStart(scale, "0").replace(/0+$/, "");
  return `${negative && abs !== 0n ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/**
 * An amount's reference value as currency text with adaptive precision: the currency's
 * usual decimals ("$12.34"), more below one unit so that small amounts keep two
 * significant digits ("$0.0002", "$0.000023"), never shown as zero when they are not
 * ("< $0.00000001"). Digits beyond those shown are cut, not rounded up.
 */
export function formatReferenceValue(
  units: bigint | string,
  rate: Pick<ReferenceRate, "currency" | "ratePerMicro">,
  locale = "en-US",
): string {
  const decimal = referenceDecimal(units, rate.ratePerMicro);
  const usual =
    new Intl.NumberFormat(locale, { style: "currency", currency: rate.currency }).resolvedOptions()
      .maximumFractionDigits ?? 2;
  const [whole, fraction = ""] = decimal.replace(/^-/, "").split(".");
  let decimals = usual;
  if (whole === "0" && fraction !== "") {
    const firstSignificant = fraction.search(/[1-9]/);
    decimals = Math.max(usual, Math.min(firstSignificant + 2, MAX_REFERENCE_DECIMALS));
    if (firstSignificant >= MAX_REFERENCE_DECIMALS) {
      const smallest = `0.${"0".repeat(MAX_REFERENCE_DECIMALS - 1)}1`;
      const text = currencyFormat(locale, rate.currency, usual, MAX_REFERENCE_DECIMALS).format(
        `${decimal.startsWith("-") ? "-" : ""}${smallest}` as `${number}`,
      );
      return decimal.startsWith("-") ? `> ${text}` : `< ${text}`;
    }
  }
  // Formatting a decimal string keeps every digit: no float on the way.
  return currencyFormat(locale, rate.currency, usual, decimals).format(decimal as `${number}`);
}

function currencyFormat(locale: string, currency: string, min: number, max: number) {
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    minimumFractionDigits: Math.min(min, max),
    maximumFractionDigits: max,
    roundingMode: "trunc",
  } as Intl.NumberFormatOptions);
}

/** The browser's view of the configured reference (runtime/config's referenceValue). */
export function toReferenceRate(
  setting: { currency: string; ratePerMicro: string; source: "demo" | "operator" } | null,
): ReferenceRate | null {
  return setting
    ? {
        currency: setting.currency,
        ratePerMicro: setting.ratePerMicro,
        isDemo: setting.source === "demo",
      }
    : null;
}
