import { hexToBigInt, numberToHex, parseSignature, serializeSignature, type Hex } from "viem";
import { describe, expect, it } from "vitest";
import { SECP256K1_N as READ_N } from "#core/wallet/siwe-signature.ts";
import { verifySiweMessage, type SiweExpectations } from "#core/wallet/siwe.ts";
import { siweMessage, testAccount } from "#tests/support/ethereum-provider.ts";

// Each case below is one of the ways issue #16 found the old (lenient) parser accepting a
// message EIP-4361 forbids, signed for real by the address it names.

const site: SiweExpectations = { domain: "tributary.test", origin: "https://tributary.test" };
const account = testAccount("strict siwe");
const MINUTE = 60_000;
/** secp256k1's group order: a signature's s and n - s both verify, so only s <= n/2 is taken. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

function text(overrides: Partial<Parameters<typeof siweMessage>[1]> = {}, now = new Date()) {
  return siweMessage(account, {
    domain: site.domain,
    uri: `${site.origin}/wallet`,
    nonce: "abcdefgh23456789",
    issuedAt: new Date(now.getTime() - MINUTE),
    expirationTime: new Date(now.getTime() + 10 * MINUTE),
    ...overrides,
  });
}

async function verify(message: string, expected = site, now = new Date(), signature?: string) {
  const signed = signature ?? (await account.signMessage({ message }));
  const result = await verifySiweMessage({ message, signature: signed }, expected, now);
  return result.ok ? "ok" : result.error.code;
}

describe("strict EIP-4361 messages", () => {
  it("accepts a well-formed message (the baseline the cases below break)", async () => {
    expect(await verify(text())).toBe("ok");
  });

  it("refuses fields out of order: an expired message whose Expiration Time comes after Not Before", async () => {
    const now = new Date();
    const inOrder = text({
      issuedAt: new Date(now.getTime() - 120 * MINUTE),
      notBefore: new Date(now.getTime() - 120 * MINUTE),
      expirationTime: new Date(now.getTime() - 60 * MINUTE),
    });
    expect(await verify(inOrder, site, now)).toBe("expired");
    const lines = inOrder.split("\n");
    const expiry = lines.findIndex((line) => line.startsWith("Expiration Time: "));
    const notBefore = lines.findIndex((line) => line.startsWith("Not Before: "));
    [lines[expiry], lines[notBefore]] = [lines[notBefore]!, lines[expiry]!];
    expect(await verify(lines.join("\n"), site, now)).toBe("invalid_message");
  });

  it("refuses trailing lines after the last field", async () => {
    for (const tail of [
      "\nGarbage: yes",
      "\n",
      "\n\nI also give away my tokens",
      "\nNonce: other1234",
    ]) {
      expect(await verify(text() + tail)).toBe("invalid_message");
    }
  });

  it("refuses an address that is not EIP-55 checksummed", async () => {
    const message = text();
    const lower = message.replace(account.address, account.address.toLowerCase());
    expect(lower).not.toBe(message);
    expect(await verify(lower)).toBe("invalid_message");
  });

  it("refuses a statement with a line break or characters outside the grammar", async () => {
    const message = text({ statement: "Sign in to Tributary." });
    for (const statement of [
      "Sign in to\nTributary.",
      "Sign in to\rTributary.",
      "Sign in <b>now</b>",
    ]) {
      expect(await verify(message.replace("Sign in to Tributary.", statement))).toBe(
        "invalid_message",
      );
    }
  });

  it("refuses resources that are not RFC 3986 URIs", async () => {
    for (const resource of [
      "not a uri",
      "_not_a_rfc3986_valid_uri_",
      "https://tributary.test/a b",
    ]) {
      expect(await verify(`${text()}\nResources:\n- ${resource}`)).toBe("invalid_message");
    }
    expect(await verify(`${text()}\nResources:\n- https://tributary.test/terms`)).toBe("ok");
  });

  it("refuses impossible dates instead of rolling them over (Feb 31 is not Mar 3)", async () => {
    const year = new Date().getUTCFullYear() + 1;
    const message = text();
    const expiry = message.match(/^Expiration Time: .*$/m)![0];
    for (const date of [
      `${year}-02-31T00:00:00Z`,
      `${year}-04-31T00:00:00.000Z`,
      `${year}-02-30T12:00:00Z`,
    ]) {
      expect(await verify(message.replace(expiry, `Expiration Time: ${date}`))).toBe(
        "invalid_message",
      );
    }
    const issued = message.match(/^Issued At: .*$/m)![0];
    expect(await verify(message.replace(issued, "Issued At: 2025-02-29T10:00:00Z"))).toBe(
      "invalid_message",
    );
    // A real leap day is a date like any other.
    expect(await verify(message.replace(issued, "Issued At: 2024-02-29T10:00:00Z"))).toBe("ok");
  });

  it("accepts an IPv6 host when it is this site's host", async () => {
    const local: SiweExpectations = { domain: "[::1]:3000", origin: "http://[::1]:3000" };
    // Written by hand: viem's createSiweMessage (our pages' writer) refuses IPv6 authorities.
    const message = text()
      .replace(`${site.domain} wants`, `${local.domain} wants`)
      .replace(`URI: ${site.origin}/wallet`, `URI: ${local.origin}/wallet`);
    expect(message).toContain("[::1]:3000 wants you to sign in");
    expect(await verify(message, local)).toBe("ok");
    expect(await verify(message, { domain: "[::2]:3000", origin: "http://[::2]:3000" })).toBe(
      "wrong_domain",
    );
  });

  it("refuses userinfo in the URI or the domain, even before this site's host", async () => {
    for (const uri of [
      "https://evil@tributary.test/",
      "https://user:pass@tributary.test/wallet",
      "https://@tributary.test/",
    ]) {
      expect(await verify(text({ uri }))).toBe("wrong_uri");
    }
    // The EIP's grammar allows userinfo in the domain; the host is ours, but the user reads
    // "evil" first. (By hand: viem will not write such a message.)
    const withUserinfo = text().replace(`${site.domain} wants`, `evil@${site.domain} wants`);
    expect(await verify(withUserinfo)).toBe("wrong_domain");
  });
});

describe("strict EIP-4361 messages, beyond the issue's list", () => {
  it("refuses CR LF line breaks, NUL and non-ASCII text: the grammar's lines end in LF alone", async () => {
    const message = text({ statement: "Sign in to Tributary." });
    for (const variant of [
      message.replaceAll("\n", "\r\n"),
      message.replace("Sign in to Tributary.", "Sign in to Tributary.\u0000"),
      message.replace("Sign in to Tributary.", "Sign in to Tribütary."),
    ]) {
      expect(await verify(variant)).toBe("invalid_message");
    }
  });

  it("refuses a chain id the message does not write as a plain number", async () => {
    const message = text();
    for (const chainId of ["01", "0", "99999999999999999999"]) {
      expect(await verify(message.replace("Chain ID: 1\n", `Chain ID: ${chainId}\n`))).toBe(
        "invalid_message",
      );
    }
  });

  it("takes the host case-insensitively and the origin's default port as the origin", async () => {
    const message = text()
      .replace(`${site.domain} wants`, "Tributary.TEST wants")
      .replace(`URI: ${site.origin}/wallet`, "URI: https://tributary.test:443/wallet");
    expect(await verify(message)).toBe("ok");
    expect(await verify(message.replace("tributary.test:443", "tributary.test:8443"))).toBe(
      "wrong_uri",
    );
  });
});

describe("strict signatures", () => {
  it("refuses the high-s twin of a valid signature, with a clear message", async () => {
    const message = text();
    const { r, s, yParity } = parseSignature(await account.signMessage({ message }));
    const highS = numberToHex(SECP256K1_N - hexToBigInt(s), { size: 32 });
    const twin = serializeSignature({ r, s: highS, yParity: yParity === 0 ? 1 : 0 });
    const result = await verifySiweMessage({ message, signature: twin }, site, new Date());
    expect(result).toEqual({
      ok: false,
      error: {
        kind: "siwe",
        code: "invalid_signature",
        message:
          "That signature is in the high-s form that Ethereum wallets do not make — sign the message again.",
      },
    });
  });

  it("accepts an EIP-2098 compact (64-byte) signature", async () => {
    const message = text();
    const { r, s, yParity } = parseSignature(await account.signMessage({ message }));
    const yParityAndS = hexToBigInt(s) | (BigInt(yParity ?? 0) << 255n);
    const compact = `${r}${numberToHex(yParityAndS, { size: 32 }).slice(2)}` as Hex;
    expect(compact.length).toBe(2 + 128);
    expect(await verify(message, site, new Date(), compact)).toBe("ok");
  });

  it("takes v as 27/28 or 0/1 and refuses any other recovery byte", async () => {
    const message = text();
    const signature = await account.signMessage({ message });
    const v = Number.parseInt(signature.slice(-2), 16);
    expect([27, 28]).toContain(v);
    const body = signature.slice(0, -2);
    expect(
      await verify(message, site, new Date(), `${body}${(v - 27).toString(16).padStart(2, "0")}`),
    ).toBe("ok");
    for (const other of [v + 2, v + 8, 2, 255]) {
      expect(
        await verify(message, site, new Date(), `${body}${other.toString(16).padStart(2, "0")}`),
      ).toBe("invalid_signature");
    }
  });
});

describe("the curve order behind the low-s rule", () => {
  it("is secp256k1's n, as @noble/curves (viem's curve library) has it", async () => {
    const { secp256k1 } = await import("@noble/curves/secp256k1");
    expect(SECP256K1_N).toBe(secp256k1.CURVE.n);
    expect(READ_N).toBe(secp256k1.CURVE.n);
  });
});
