import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BASE_UNITS_PER_MICRO,
  DUST_THRESHOLD,
  formatMicroForDisplay,
  MAX_AMOUNT,
  parseMicro,
} from "#shared/money.ts";

const MICRO = BASE_UNITS_PER_MICRO;

/** The base units a displayed amount stands for (separators and sign dropped). */
const shownUnits = (text: string) => parseMicro(text.replace(/^[+-]/, "").replace(/,/g, ""));

/** Amounts spread over every scale, from a base unit to MAX_AMOUNT. */
const anyScale = fc
  .tuple(fc.bigInt({ min: 1n, max: 10n ** 18n }), fc.integer({ min: 0, max: 60 }))
  .map(([digits, shift]) => {
    const amount = digits * 10n ** BigInt(shift);
    return amount > MAX_AMOUNT ? MAX_AMOUNT : amount;
  });

describe("the one display rule for amounts", () => {
  it("shows the amounts people meet the way they read them", () => {
    const cases: [string, string][] = [
      ["0", "0"],
      ["0.0002", "0.0002"],
      ["0.002", "0.002"],
      ["0.01", "0.01"],
      ["0.5", "0.5"],
      ["0.012345", "0.01234"],
      ["0.000023456", "0.00002345"],
      ["0.999999", "0.9999"],
      ["1", "1"],
      ["1.0022", "1.0022"],
      ["1.5", "1.50"],
      ["1.00001", "1"],
      ["12.3456789", "12.3456"],
      ["999.99999", "999.9999"],
      ["1000", "1,000"],
      ["1234.5678", "1,234.56"],
      ["1234567.891", "1,234,567.89"],
      ["0.000001", "0.000001"],
    ];
    for (const [micro, shown] of cases)
      expect(formatMicroForDisplay(parseMicro(micro)), micro).toBe(shown);
    expect(formatMicroForDisplay(1n)).toBe("< 0.000001");
    expect(formatMicroForDisplay(-1n)).toBe("> -0.000001");
    expect(formatMicroForDisplay(parseMicro("0.0002"), { isSigned: true })).toBe("+0.0002");
    expect(formatMicroForDisplay(-parseMicro("1.0022"), { isSigned: true })).toBe("-1.0022");
    expect(formatMicroForDisplay(1n, { isSigned: true })).toBe("< +0.000001");
    expect(formatMicroForDisplay("200000000000000")).toBe("0.0002");
  });

  it("shows zero as 0 and never shows a non-zero amount as 0", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -MAX_AMOUNT, max: MAX_AMOUNT }), (amount) => {
        const text = formatMicroForDisplay(amount);
        expect(text === "0").toBe(amount === 0n);
        expect(text).not.toMatch(/^[+-]?0(\.0*)?$/);
      }),
    );
  });

  it("calls dust dust, and only dust", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: DUST_THRESHOLD * 10n }), (amount) => {
        expect(formatMicroForDisplay(amount) === "< 0.000001").toBe(amount < DUST_THRESHOLD);
        expect(formatMicroForDisplay(-amount) === "> -0.000001").toBe(amount < DUST_THRESHOLD);
      }),
    );
  });

  it("never shows more than there is, and is off by less than its last digit", () => {
    fc.assert(
      fc.property(anyScale, fc.boolean(), (abs, isNegative) => {
        fc.pre(abs >= DUST_THRESHOLD);
        const text = formatMicroForDisplay(isNegative ? -abs : abs);
        expect(text.startsWith("-")).toBe(isNegative);
        const shown = shownUnits(text);
        expect(shown).toBeLessThanOrEqual(abs);
        const cut = abs - shown;
        if (abs < MICRO) {
          // Four significant digits: the cut is under a thousandth of the amount.
          expect(cut * 1000n).toBeLessThan(abs);
        } else if (abs < 1000n * MICRO) {
          expect(cut).toBeLessThan(MICRO / 10_000n);
        } else {
          expect(cut).toBeLessThan(MICRO / 100n);
        }
      }),
    );
  });

  it("groups thousands and keeps decimals to the scale: 4 significant below 1, else 0 or 2–4", () => {
    fc.assert(
      fc.property(anyScale, (amount) => {
        fc.pre(amount >= DUST_THRESHOLD);
        const text = formatMicroForDisplay(amount, { isSigned: true });
        const match = /^\+(\d{1,3}(?:,\d{3})*)(?:\.(\d+))?$/.exec(text);
        expect(match, text).not.toBeNull();
        const [, whole, fraction = ""] = match!;
        if (amount < MICRO) {
          expect(whole).toBe("0");
          expect(fraction.replace(/^0+/, "").length).toBeLessThanOrEqual(4);
          expect(fraction).not.toMatch(/0$/);
        } else if (amount < 1000n * MICRO) {
          expect([0, 2, 3, 4]).toContain(fraction.length);
        } else {
          expect([0, 2]).toContain(fraction.length);
        }
      }),
    );
  });

  it("reads a string of base units as the bigint it spells", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -MAX_AMOUNT, max: MAX_AMOUNT }),
        fc.boolean(),
        (amount, isSigned) => {
          expect(formatMicroForDisplay(amount.toString(), { isSigned })).toBe(
            formatMicroForDisplay(amount, { isSigned }),
          );
        },
      ),
    );
  });
});
