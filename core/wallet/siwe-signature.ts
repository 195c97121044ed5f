import { compactSignatureToSignature, hexToBigInt, parseCompactSignature, type Hex } from "viem";

/** secp256k1's group order n (SEC 2, section 2.4.1). */
export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

export type SignatureReading =
  /** 65 bytes r ‖ s ‖ v, with v 27 or 28, whatever form it arrived in. */
  | { ok: true; signature: Hex }
  /** Not 64 or 65 bytes of hex, or a recovery byte other than 0, 1, 27, 28. */
  | { ok: false; reason: "malformed" }
  /** s above n/2: the malleable twin of a valid signature, which wallets never make. */
  | { ok: false; reason: "high_s" };

const fullPattern = /^0x[0-9a-fA-F]{130}$/;
const compactPattern = /^0x[0-9a-fA-F]{128}$/;

/**
 * Reads a personal_sign signature: 65 bytes with v in {27, 28} (or {0, 1}, as some hardware
 * wallets return it), or EIP-2098's 64-byte compact form. For every valid signature (r, s)
 * over a message, (r, n - s) is valid too; only the low-s one (s <= n/2) is taken, as
 * Ethereum has done for transactions since EIP-2.
 */
export function readSignature(signature: string): SignatureReading {
  let r: Hex;
  let s: Hex;
  let yParity: number;
  if (fullPattern.test(signature)) {
    r = `0x${signature.slice(2, 66)}`;
    s = `0x${signature.slice(66, 130)}`;
    const v = Number.parseInt(signature.slice(130), 16);
    if (v === 0 || v === 1) yParity = v;
    else if (v === 27 || v === 28) yParity = v - 27;
    else return { ok: false, reason: "malformed" };
  } else if (compactPattern.test(signature)) {
    // EIP-2098: the top bit of the second word is y-parity; the rest is s.
    const expanded = compactSignatureToSignature(parseCompactSignature(signature as Hex));
    ({ r, s } = expanded);
    yParity = expanded.yParity ?? 0;
  } else {
    return { ok: false, reason: "malformed" };
  }
  if (hexToBigInt(s) > SECP256K1_N / 2n) return { ok: false, reason: "high_s" };
  // r or s of 0 or >= n is left to recovery, which fails: "not signed by that address".
  return { ok: true, signature: `${r}${s.slice(2)}${yParity === 0 ? "1b" : "1c"}` };
}
