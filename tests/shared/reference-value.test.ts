import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_AMOUNT, parseMicro } from "#shared/money.ts";
import {
  formatReferenceValue,
  referenceDecimal,
  toReferenceRate,
} from "#shared/reference-value.ts";

const usd = { currency: "USD", ratePerMicro: "1" };

/** A decimal string as an integer scaled by 10^scale (exact, for comparing products). */
function scaled(decimal: string, scale: number): bigint {
  const negative = decimal.startsWith("-");
  const [whole, fraction = ""] = decimal.replace(/^-/, "").split(".");
  expect(fraction.length).toBeLessThanOrEqual(scale);
  const value = BigInt(whole! + fraction.padEnd(scale, "0"));
  return negative ? -value : value;
}

const rates = fc
  .tuple(fc.bigInt({ min: 0n, max: 10n ** 12n - 1n }), fc.integer({ min: 0, max: 18 }))
  .map(([digits, decimals]) => {
    const text = digits.toString().padStart(decimals + 1, "0");
    return decimals === 0 ? text : `${text.slice(0, -decimals)}.${text.slice(-decimals)}`;
  });

describe("reference value", () => {
  it("multiplies base units by the rate exactly, at every scale", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -MAX_AMOUNT, max: MAX_AMOUNT }), rates, (units, rate) => {
        const rateDecimals = rate.split(".")[1]?.length ?? 0;
        const product = referenceDecimal(units, rate);
        expect(product).toMatch(/^-?(0|[1-9]\d*)(\.\d*[1-9])?$/);
        expect(scaled(product, 18 + rateDecimals)).toBe(units * BigInt(rate.replace(".", "")));
      }),
    );
  });

  it("shows small amounts with their significant digits rather than as $0.00", () => {
    expect(formatReferenceValue(parseMicro("0.0002"), usd)).toBe("$0.0002");
    expect(formatReferenceValue(parseMicro("0.000023456"), usd)).toBe("$0.000023");
    expect(formatReferenceValue(parseMicro("0.5"), usd)).toBe("$0.50");
    expect(formatReferenceValue(parseMicro("1.0022"), usd)).toBe("$1.00");
    expect(formatReferenceValue(parseMicro("1234.5678"), usd)).toBe("$1,234.56");
    expect(formatReferenceValue(0n, usd)).toBe("$0.00");
    expect(formatReferenceValue(1n, usd)).toBe("< $0.00000001");
    expect(formatReferenceValue(-1n, usd)).toBe("> -$0.00000001");
    expect(formatReferenceValue(-parseMicro("0.0002"), usd)).toBe("-$0.0002");
    expect(formatReferenceValue("200000000000000", usd)).toBe("$0.0002");
  });

  it("uses the currency's own decimals and the operator's rate", () => {
    const yen = { currency: "JPY", ratePerMicro: "150.25" };
    expect(formatReferenceValue(parseMicro("1"), yen)).toBe("¥150");
    expect(formatReferenceValue(parseMicro("0.0002"), yen)).toBe("¥0.03");
    const euro = { currency: "EUR", ratePerMicro: "0.0125" };
    expect(formatReferenceValue(parseMicro("2"), euro)).toBe("€0.025");
    expect(formatReferenceValue(parseMicro("800"), euro)).toBe("€10.00");
  });

  it("keeps every digit of amounts no float could hold", () => {
    const huge = 10n ** 40n * 10n ** 18n + 7n * 10n ** 16n; // 10^40 + 0.07 MICRO
    expect(formatReferenceValue(huge, usd)).toBe(`$10${",000".repeat(13)}.07`);
  });

  it("never shows a non-zero value as zero, nor more than it is", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 30n }),
        rates.filter((rate) => /[1-9]/.test(rate)),
        (units, rate) => {
          const text = formatReferenceValue(units, { currency: "USD", ratePerMicro: rate });
          expect(text).not.toMatch(/^\$0(\.0*)?$/);
          if (text.startsWith("<")) return;
          const shown = text.replace(/[$,]/g, "");
          const exact = referenceDecimal(units, rate);
          const scale = 40;
          expect(scaled(shown, scale)).toBeLessThanOrEqual(scaled(exact, scale));
        },
      ),
    );
  });

  it("tells the browser whether the configured rate is a demo", () => {
    expect(toReferenceRate(null)).toBeNull();
    expect(toReferenceRate({ currency: "USD", ratePerMicro: "1", source: "demo" })).toEqual({
      currency: "USD",
      ratePerMicro: "1",
      isDemo: true,
    });
    expect(
      toReferenceRate({ currency: "EUR", ratePerMicro: "0.9", source: "operator" })?.isDemo,
    ).toBe(false);
  });
});
