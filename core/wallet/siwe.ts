import { recoverMessageAddress, type Hex } from "viem";
import { err, ok, type Result } from "../result.ts";
import { parseSiweMessageText } from "./siwe-message.ts";
import { readSignature } from "./siwe-signature.ts";
import {
  shortAddress,
  type SiweFailure,
  type SiweFailureCode,
  type SiwePurpose,
} from "./wallet-link.ts";

/** How long a nonce may wait for its signed message. */
export const SIWE_NONCE_TTL_MS = 10 * 60 * 1000;
/** Device clocks drift: a message "issued" this far in the future is still accepted. */
export const SIWE_CLOCK_SKEW_MS = 2 * 60 * 1000;
/** Far longer than any message our pages or a wallet would write. */
export const SIWE_MESSAGE_MAX_LENGTH = 4096;
/**
 * Suggested when a client cannot ask its wallet: Ethereum mainnet. Any EIP-155 chain id is
 * accepted, because an externally owned account has the same address on every EVM chain.
 */
export const SIWE_DEFAULT_CHAIN_ID = 1;

/** The words a wallet shows above the message, per purpose. */
export const siweStatements: Record<SiwePurpose, string> = {
  link: "Link this Ethereum address to my Tributary account, so my rewards can be settled to it.",
  "sign-in": "Sign in to Tributary with this Ethereum address.",
};

/** Where a signed message must point: this site's host (the SIWE domain) and origin (the URI). */
export type SiweExpectations = {
  /** RFC 3986 authority, e.g. "tributary.example" or "localhost:3000". */
  domain: string;
  /** e.g. "https://tributary.example". */
  origin: string;
};

function firstHeaderValue(value: string | null): string | null {
  const first = value?.split(",")[0]?.trim();
  return first ? first : null;
}

/**
 * The domain and origin a request was addressed to. Like the same-origin rule
 * (core/auth/request-origin.ts) this trusts the Host header; behind a proxy
 * (TRUST_PROXY) the X-Forwarded-Host and X-Forwarded-Proto it sets win.
 */
export function siweExpectationsFromRequest(
  request: Request,
  options: { trustProxy: boolean },
): SiweExpectations {
  const url = new URL(request.url);
  const headers = request.headers;
  const forwardedHost = options.trustProxy
    ? firstHeaderValue(headers.get("x-forwarded-host"))
    : null;
  const forwardedProto = options.trustProxy
    ? firstHeaderValue(headers.get("x-forwarded-proto"))
    : null;
  const host = (forwardedHost ?? headers.get("host") ?? url.host).toLowerCase();
  const scheme = (forwardedProto ?? url.protocol.replace(/:$/, "")).toLowerCase();
  return { domain: host, origin: `${scheme}://${host}` };
}

// As session tokens: 24 characters from a 32-letter alphabet = 120 bits from the system's CSPRNG.
// (viem's generateSiweNonce draws from Math.random, which is not meant for secrets.)
const nonceAlphabet = "abcdefghijkmnpqrstuvwxyz23456789";
const NONCE_LENGTH = 24;

export function generateNonce(): string {
  const bytes = new Uint8Array(NONCE_LENGTH);
  crypto.getRandomValues(bytes);
  let out = "";
  for (const byte of bytes) out += nonceAlphabet[byte >> 3];
  return out;
}

/** A message whose form, site, times and signature check out; its nonce is still to be spent. */
export type VerifiedSiweMessage = {
  /** EIP-55 checksummed: the address that signed. */
  address: `0x${string}`;
  chainId: number;
  nonce: string;
  issuedAt: Date;
  message: string;
  signature: Hex;
};

function failure(code: SiweFailureCode, message: string): { ok: false; error: SiweFailure } {
  return err({ kind: "siwe", code, message });
}

const unreadable = () =>
  failure(
    "invalid_message",
    "That is not a Sign-In with Ethereum message Tributary can read — request a new one.",
  );

const timeFormat = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "medium",
  timeZone: "UTC",
});

/** The authority of an absolute URI ("//" and up to the next "/", "?" or "#"), or null. */
function authorityOf(uri: string): string | null {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(uri)?.[1] ?? null;
}

/** The URI's origin when it is one a browser would send us from, else null. */
function originOf(uri: string): string | null {
  try {
    return new URL(uri).origin;
  } catch {
    return null;
  }
}

/**
 * Checks everything about an EIP-4361 message that needs no database: its form (strictly,
 * by the EIP's ABNF), that it names this site (domain and URI), its times, and that the
 * signature recovers to the address it names (an externally owned account). The nonce is
 * checked by the caller.
 */
export async function verifySiweMessage(
  input: { message: string; signature: string },
  expected: SiweExpectations,
  now: Date,
): Promise<Result<VerifiedSiweMessage, SiweFailure>> {
  const { message } = input;
  if (message.length === 0 || message.length > SIWE_MESSAGE_MAX_LENGTH) return unreadable();
  const reading = readSignature(input.signature);
  if (!reading.ok) {
    return reading.reason === "high_s"
      ? failure(
          "invalid_signature",
          "That signature is in the high-s form that Ethereum wallets do not make — sign the message again.",
        )
      : failure(
          "invalid_signature",
          "That signature is not a valid Ethereum signature — sign the message again.",
        );
  }

  const parsed = parseSiweMessageText(message);
  if (!parsed) return unreadable();
  const { address, domain, uri, nonce, chainId, issuedAt, expirationTime, notBefore } = parsed;

  // Exactly this site's host: "evil@tributary.example" names the same host but shows the
  // user someone else's name first, so userinfo is refused like any other host.
  if (domain.toLowerCase() !== expected.domain) {
    return failure(
      "wrong_domain",
      `This message was written for ${domain}, not for ${expected.domain} — request a new one here.`,
    );
  }
  const expectedScheme = expected.origin.slice(0, expected.origin.indexOf(":"));
  const authority = authorityOf(uri);
  if (
    // A browser drops "user@" from the origin, but the user reads it first.
    authority === null ||
    authority.includes("@") ||
    originOf(uri) !== expected.origin ||
    (parsed.scheme !== undefined && parsed.scheme.toLowerCase() !== expectedScheme)
  ) {
    return failure(
      "wrong_uri",
      `This message points at ${uri}, not at ${expected.origin} — request a new one here.`,
    );
  }

  if (issuedAt.getTime() > now.getTime() + SIWE_CLOCK_SKEW_MS) {
    return failure(
      "issued_in_future",
      "This message says it was written in the future — check your device's clock, then try again.",
    );
  }
  if (expirationTime && now.getTime() >= expirationTime.getTime()) {
    return failure("expired", "This sign-in message has expired — request a new one.");
  }
  if (notBefore && now.getTime() < notBefore.getTime()) {
    return failure(
      "not_yet_valid",
      `This message is not valid until ${timeFormat.format(notBefore)} UTC — wait until then, or request a new one.`,
    );
  }

  let signer: `0x${string}` | null;
  try {
    signer = await recoverMessageAddress({ message, signature: reading.signature });
  } catch {
    signer = null;
  }
  if (signer !== address) {
    return failure(
      "signature_mismatch",
      `This signature was not made by ${shortAddress(address)}, the address in the message — sign with that wallet.`,
    );
  }
  return ok({
    address,
    chainId,
    nonce,
    issuedAt,
    message,
    signature: input.signature as Hex,
  });
}
