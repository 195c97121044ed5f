import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  formatMicro,
  formatSignedMicro,
  MAX_AMOUNT,
  parseAmountInput,
  parseMicro,
  tryParseMicro,
  type MicroTextError,
} from "#shared/money.ts";

const digits = (maxLength: number) =>
  fc.string({ unit: fc.constantFrom(..."0123456789"), maxLength });

describe("MICRO amounts as text", () => {
  const amounts = fc.bigInt({ min: -MAX_AMOUNT, max: MAX_AMOUNT });

  it("formats a string of digits exactly as the bigint it spells, for every amount and precision", () => {
    fc.assert(
      fc.property(amounts, fc.integer({ min: 0, max: 18 }), (amount, digits) => {
        expect(formatMicro(amount.toString(), digits)).toBe(formatMicro(amount, digits));
      }),
    );
  });

  it("reads back what it prints, to the last base unit", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: MAX_AMOUNT }), (amount) => {
        expect(parseAmountInput(formatMicro(amount), "micro")).toBe(amount);
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

  it("parses any printed amount back to the same base units, with or without its sign", () => {
    fc.assert(
      fc.property(amounts, (amount) => {
        expect(parseMicro(formatMicro(amount), { isSigned: true })).toBe(amount);
        expect(parseMicro(formatSignedMicro(amount), { isSigned: true })).toBe(amount);
        if (amount >= 0n) expect(parseMicro(formatMicro(amount))).toBe(amount);
      }),
    );
  });

  it("is exact for any decimal of up to 60 whole digits and 18 decimals", () => {
    fc.assert(
      fc.property(digits(60), digits(18), (whole, fraction) => {
        fc.pre(whole !== "" || fraction !== "");
        const text = fraction === "" ? whole : `${whole}.${fraction}`;
        // The expected value by moving the point in the text: no arithmetic to share a bug with.
        const expected = BigInt(`${whole}${fraction.padEnd(18, "0")}`);
        expect(parseMicro(text)).toBe(expected);
      }),
    );
  });

  it("keeps every base unit where a float would round", () => {
    expect(parseMicro("0.0002")).toBe(2n * 10n ** 14n);
    expect(parseMicro("0.1") + parseMicro("0.2")).toBe(parseMicro("0.3"));
    expect(parseMicro("1.000000000000000001")).toBe(10n ** 18n + 1n);
    expect(parseMicro("0.000000000000000001")).toBe(1n);
    expect(parseMicro("123456789012345678.123456789012345678")).toBe(
      123456789012345678123456789012345678n,
    );
    expect(parseMicro("000.5")).toBe(5n * 10n ** 17n);
  });

  it("refuses malformed text with a reason a person can act on", () => {
    const refusals: [string, MicroTextError["code"]][] = [
      ["", "empty"],
      ["   ", "empty"],
      [" 1", "has_whitespace"],
      ["1 ", "has_whitespace"],
      ["1 000", "has_whitespace"],
      ["-1", "has_sign"],
      ["+1", "has_sign"],
      ["1e3", "has_exponent"],
      ["2.5E-7", "has_exponent"],
      [".5e1", "has_exponent"],
      ["e", "not_a_decimal"],
      ["abc", "not_a_decimal"],
      [".", "not_a_decimal"],
      ["1.", "not_a_decimal"],
      ["1.2.3", "not_a_decimal"],
      ["1,000", "not_a_decimal"],
      ["0x10", "not_a_decimal"],
      ["Infinity", "not_a_decimal"],
      ["NaN", "not_a_decimal"],
      ["٣", "not_a_decimal"],
      ["--1", "has_sign"],
      ["0.0000000000000000001", "too_many_decimals"],
      ["1".repeat(61), "too_large"],
      [formatMicro(MAX_AMOUNT + 1n), "too_large"],
    ];
    for (const [text, code] of refusals) {
      const result = tryParseMicro(text);
      expect(result.ok, text).toBe(false);
      if (!result.ok) {
        expect(result.error.code, text).toBe(code);
        expect(result.error.message, text).not.toBe("");
      }
    }
    expect(tryParseMicro("--1", { isSigned: true })).toMatchObject({
      ok: false,
      error: { code: "not_a_decimal" },
    });
    expect(tryParseMicro("-", { isSigned: true })).toMatchObject({
      ok: false,
      error: { code: "not_a_decimal" },
    });
    expect(tryParseMicro(formatMicro(-MAX_AMOUNT - 1n), { isSigned: true })).toMatchObject({
      ok: false,
      error: { code: "too_large" },
    });
  });

  it("throws on an amount written wrongly in code, naming it", () => {
    expect(() => parseMicro("0,1")).toThrow(RangeError);
    expect(() => parseMicro("0,1")).toThrow('"0,1" is not a MICRO amount');
    expect(() => parseMicro("-0.1")).toThrow("without a sign");
    expect(parseMicro("-0.1", { isSigned: true })).toBe(-(10n ** 17n));
  });
});
