import type { WalletLinkKind, WalletLinkRow } from "#db/schema.ts";
import type { UserId } from "../auth/ids.ts";

/**
 * An address a user's settlements go to, linked with Sign-In with Ethereum ('siwe') or
 * pasted and confirmed with the password ('pasted'); `unlinkedAt` is null while it is active.
 */
export type WalletLink = {
  id: string;
  userId: UserId;
  kind: WalletLinkKind;
  /** EIP-55 checksummed. */
  address: `0x${string}`;
  /**
   * The chain the wallet was on when it signed; the address is the same on every EVM chain.
   * Null for a pasted address.
   */
  chainId: number | null;
  linkedAt: Date;
  /** Settlements reach the address from here on: at once when signed, after a cooling-off when pasted. */
  receivesFrom: Date;
  unlinkedAt: Date | null;
};

export type { WalletLinkKind };

export function toWalletLink(row: WalletLinkRow): WalletLink {
  return {
    id: row.id,
    userId: row.user_id as UserId,
    kind: row.kind,
    address: row.address as `0x${string}`,
    chainId: row.chain_id === null ? null : Number(row.chain_id),
    linkedAt: row.linked_at,
    receivesFrom: row.receives_from,
    unlinkedAt: row.unlinked_at,
  };
}

export type SiwePurpose = "link" | "sign-in";

/** Why a signed message was not accepted: a code for programs and words for people. */
export type SiweFailureCode =
  /** Not an EIP-4361 message we can read (or too long, or a field is malformed). */
  | "invalid_message"
  /**
   * Not a signature we take: not 65 bytes of hex (or EIP-2098's 64), a recovery byte v other
   * than 27/28 or 0/1, or the high-s (malleable) twin of a signature, which wallets never make.
   */
  | "invalid_signature"
  /** The message names another site than the one the request came to. */
  | "wrong_domain"
  /** The message's URI (or scheme) is not this site's origin. */
  | "wrong_uri"
  /** Issued At is later than now (beyond a little clock skew). */
  | "issued_in_future"
  /** Not Before is later than now. */
  | "not_yet_valid"
  /** Expiration Time has passed. */
  | "expired"
  /** The signature was made by another key than the message's address. */
  | "signature_mismatch"
  /** The nonce is not one Tributary issued (or it was cleaned up long ago). */
  | "unknown_nonce"
  /** The nonce was already used: the message is a replay. */
  | "nonce_used"
  /** The nonce's ten minutes are over. */
  | "nonce_expired"
  /** A sign-in nonce used to link, or a link nonce used to sign in. */
  | "wrong_purpose"
  /** A link nonce issued to another account. */
  | "wrong_account";

export type SiweFailure = { kind: "siwe"; code: SiweFailureCode; message: string };

export type AddressTakenFailure = { kind: "address-taken"; message: string };
export type NoAccountForAddressFailure = { kind: "no-account-for-address"; message: string };
export type NotLinkedFailure = { kind: "not-linked"; message: string };
export type NonceRateLimitedFailure = {
  kind: "rate-limited";
  message: string;
  retryAfterSeconds: number;
};

export type LinkWalletFailure = SiweFailure | AddressTakenFailure;
export type SignInWithEthereumFailure = SiweFailure | NoAccountForAddressFailure;
export type UnlinkWalletFailure = NotLinkedFailure;
export type IssueNonceFailure = NonceRateLimitedFailure;

export const walletLinkMessages = {
  addressTaken: "That address is already linked to another Tributary account.",
  noAccountForAddress:
    "No Tributary account is linked to that address. Sign in with your email, then link it from your wallet page.",
  notLinked: "No wallet is linked to your account.",
} as const;

/** "0x12ab…89cd": enough to recognise an address at a glance. */
export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}
