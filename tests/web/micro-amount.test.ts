import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatMicroUnits, parseAmountInput } from "#app/utils/micro-amount.ts";
import { formatMicro, MAX_AMOUNT } from "#core/ledger/amount.ts";

// The browser's copy of the display formatter (core/ cannot reach a browser bundle).
describe("browser-side MICRO amounts", () => {
  const amounts = fc.bigInt({ min: -MAX_AMOUNT, max: MAX_AMOUNT });

  it("formats exactly as the ledger's formatMicro, for every amount and precision", () => {
    fc.assert(
      fc.property(amounts, fc.integer({ min: 0, max: 18 }), (amount, digits) => {
        expect(formatMicroUnits(amount, digits)).toBe(formatMicro(amount, digits));
        expect(formatMicroUnits(amount.toString(), digits)).toBe(formatMicro(amount, digits));
      }),
    );
  });

  it("reads back what it prints, to the last base unit", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: MAX_AMOUNT }), (amount) => {
        expect(parseAmountInput(formatMicroUnits(amount), "micro")).toBe(amount);
        expect(parseAmountInput(amount.toString(), "base")).toBe(amount);
      }),
    );
  });

  it("refuses what is not a positive amount it can hold exactly", () => {
    expect(parseAmountInput("0.01", "micro")).toBe(10n ** 16n);
    expect(parseAmountInput("1,000.5", "micro")).toBe(1000n * 10n ** 18n + 5n * 10n ** 17n);
    expect(parseAmountInput(".5", "micro")).toBe(5n * 10n ** 17n);
    for (const bad of ["", ".", "0", "0.0", "-1", "1e3", "0.0000000000000000001", "abc"]) {
      expect(parseAmountInput(bad, "micro"), bad).toBeNull();
    }
    for (const bad of ["0", "1.5", "-3", (MAX_AMOUNT + 1n).toString()]) {
      expect(parseAmountInput(bad, "base"), bad).toBeNull();
    }
  });
});
