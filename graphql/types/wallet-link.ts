import { sessionCookie } from "#core/auth/session-cookie.ts";
import {
  platformContractAddresses,
  setPayoutAddress,
  type SetPayoutAddressFailure,
} from "#core/wallet/payout-address.ts";
import { siweExpectationsFromRequest, type SiweExpectations } from "#core/wallet/siwe.ts";
import {
  getLinkedWallet,
  issueSiweNonce,
  linkWallet,
  listWalletLinkHistory,
  signInWithEthereum,
  unlinkWallet,
  WALLET_LINK_HISTORY_MAX,
  type IssuedNonce,
  type LinkWalletOutcome,
} from "#core/wallet/wallet-link.service.ts";
import type {
  LinkWalletFailure,
  SignInWithEthereumFailure,
  SiweFailureCode,
  WalletLink,
} from "#core/wallet/wallet-link.ts";
import type { User } from "#core/auth/user.ts";
import { builder } from "../builder.ts";
import type { GraphQLContext } from "../context.ts";
import { accountMailOf, AuthPayloadRef } from "./auth.ts";
import { ErrorInterface, NotSignedInError, RateLimitedError, ValidationError } from "./errors.ts";
import { UserRef } from "./user.ts";

// Sign-In with Ethereum (EIP-4361): ask for a nonce, have the wallet sign a message that
// carries it, then link the address or sign in with it.

export class SiweMessageError extends Error {
  constructor(
    message: string,
    readonly code: SiweFailureCode,
  ) {
    super(message);
  }
}
export class AddressAlreadyLinkedError extends Error {}
export class NoAccountForAddressError extends Error {}
export class NoLinkedWalletError extends Error {}
export class WrongPasswordError extends Error {}

const SiweErrorCodeEnum = builder.enumType("SiweErrorCode", {
  description: "Why a signed Sign-In with Ethereum message was not accepted.",
  values: {
    INVALID_MESSAGE: {
      value: "invalid_message",
      description: "Not an EIP-4361 message (or too long, or a field is malformed).",
    },
    INVALID_SIGNATURE: {
      value: "invalid_signature",
      description:
        "Not a signature we take: not 65 bytes of hex (or EIP-2098's compact 64), a recovery byte v other than 27/28 or 0/1, or a high-s (malleable) signature, which wallets never make.",
    },
    WRONG_DOMAIN: {
      value: "wrong_domain",
      description: "The message names another site than the one the request came to.",
    },
    WRONG_URI: {
      value: "wrong_uri",
      description: "The message's URI or scheme is not this site's origin.",
    },
    ISSUED_IN_FUTURE: {
      value: "issued_in_future",
      description: "Issued At is later than now (beyond two minutes of clock skew).",
    },
    NOT_YET_VALID: { value: "not_yet_valid", description: "Not Before is later than now." },
    EXPIRED: { value: "expired", description: "The message's Expiration Time has passed." },
    SIGNATURE_MISMATCH: {
      value: "signature_mismatch",
      description: "The signature was made by another key than the message's address.",
    },
    UNKNOWN_NONCE: { value: "unknown_nonce", description: "Tributary did not issue the nonce." },
    NONCE_USED: { value: "nonce_used", description: "The nonce was already used: a replay." },
    NONCE_EXPIRED: {
      value: "nonce_expired",
      description: "The nonce is older than ten minutes.",
    },
    WRONG_PURPOSE: {
      value: "wrong_purpose",
      description: "A sign-in nonce used to link, or a link nonce used to sign in.",
    },
    WRONG_ACCOUNT: {
      value: "wrong_account",
      description: "A link nonce issued to another account.",
    },
  } as const satisfies Record<string, { value: SiweFailureCode; description: string }>,
});

builder.objectType(SiweMessageError, {
  name: "SiweMessageError",
  description:
    "The signed message was refused; `code` says why. Request a new nonce and sign again.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ code: t.expose("code", { type: SiweErrorCodeEnum }) }),
});

builder.objectType(AddressAlreadyLinkedError, {
  name: "AddressAlreadyLinkedError",
  description: "The address is linked to another account; it must be unlinked there first.",
  interfaces: [ErrorInterface],
  fields: () => ({}),
});

builder.objectType(NoAccountForAddressError, {
  name: "NoAccountForAddressError",
  description: "No account has this address linked, so it cannot sign in.",
  interfaces: [ErrorInterface],
  fields: () => ({}),
});

builder.objectType(NoLinkedWalletError, {
  name: "NoLinkedWalletError",
  description: "The account has no linked wallet to unlink.",
  interfaces: [ErrorInterface],
  fields: () => ({}),
});

builder.objectType(WrongPasswordError, {
  name: "WrongPasswordError",
  description:
    "The password is not the account's current one; nothing changed. Wrong passwords count " +
    "towards the same throttle as sign-in.",
  interfaces: [ErrorInterface],
  fields: () => ({}),
});

const WalletLinkKindEnum = builder.enumType("WalletLinkKind", {
  description: "How an address was linked.",
  values: {
    SIWE: {
      value: "siwe",
      description: "Signed with Sign-In with Ethereum: control is proven; it receives at once.",
    },
    PASTED: {
      value: "pasted",
      description:
        "Pasted and confirmed with the password: it receives only after a cooling-off period, " +
        "and cannot be used to sign in.",
    },
  } as const,
});

const SiwePurposeEnum = builder.enumType("SiwePurpose", {
  values: {
    LINK: { value: "link", description: "Link an address to the signed-in account." },
    SIGN_IN: { value: "sign-in", description: "Sign in with an address already linked." },
  } as const,
});

export const WalletLinkRef = builder.objectRef<WalletLink>("WalletLink").implement({
  description:
    "An Ethereum address a user's settlements go to: linked by signing a Sign-In with " +
    "Ethereum message, or pasted and confirmed with the account's password.",
  fields: (t) => ({
    address: t.exposeString("address", { description: "EIP-55 checksummed." }),
    kind: t.expose("kind", { type: WalletLinkKindEnum }),
    chainId: t.exposeInt("chainId", {
      nullable: true,
      description:
        "The chain the wallet was on when it signed; the address is the same on all. Null for " +
        "a pasted address.",
    }),
    linkedAt: t.expose("linkedAt", { type: "DateTime" }),
    receivesFrom: t.expose("receivesFrom", {
      type: "DateTime",
      description:
        "Settlements reach the address from this moment: when it was linked for a signed " +
        "address, after the cooling-off period for a pasted one.",
    }),
    unlinkedAt: t.expose("unlinkedAt", {
      type: "DateTime",
      nullable: true,
      description: "Null while the link is active.",
    }),
    isActive: t.boolean({ resolve: (link) => link.unlinkedAt === null }),
  }),
});

const SiweNonceRef = builder.objectRef<IssuedNonce>("SiweNonce").implement({
  description:
    "A single-use nonce and the fields to put beside it in an EIP-4361 message " +
    "(any EIP-4361 writer; note that viem's createSiweMessage refuses IPv6 hosts such as [::1]:3000). Valid for ten minutes.",
  fields: (t) => ({
    nonce: t.exposeString("nonce"),
    purpose: t.expose("purpose", { type: SiwePurposeEnum }),
    domain: t.exposeString("domain", {
      description: "The message's domain: this site's host, exactly.",
    }),
    uri: t.exposeString("uri", { description: "The message's URI: this site's origin." }),
    chainId: t.exposeInt("chainId", {
      description:
        "A chain id to use when the wallet cannot say; any EIP-155 chain id is accepted.",
    }),
    statement: t.exposeString("statement", { description: "Suggested words for the wallet." }),
    version: t.exposeString("version"),
    issuedAt: t.expose("issuedAt", { type: "DateTime" }),
    expiresAt: t.expose("expiresAt", {
      type: "DateTime",
      description: "The nonce is refused after this; use it as the message's Expiration Time.",
    }),
  }),
});

const LinkWalletPayloadRef = builder
  .objectRef<LinkWalletOutcome & { user: User }>("LinkWalletPayload")
  .implement({
    fields: (t) => ({
      wallet: t.field({ type: WalletLinkRef, resolve: (payload) => payload.link }),
      replaced: t.field({
        type: WalletLinkRef,
        nullable: true,
        description: "The address this one replaced, now unlinked (kept in the history).",
        resolve: (payload) => payload.replaced,
      }),
      isUnchanged: t.exposeBoolean("isUnchanged", {
        description: "True when this address was already linked to the account.",
      }),
      user: t.field({ type: UserRef, resolve: (payload) => payload.user }),
    }),
  });

const UnlinkWalletPayloadRef = builder
  .objectRef<{ unlinked: WalletLink; user: User }>("UnlinkWalletPayload")
  .implement({
    fields: (t) => ({
      unlinked: t.field({ type: WalletLinkRef, resolve: (payload) => payload.unlinked }),
      user: t.field({ type: UserRef, resolve: (payload) => payload.user }),
    }),
  });

/** Yoga puts the Fetch Request in every context; the builder's context type leaves it out. */
function expectationsOf(context: GraphQLContext): SiweExpectations {
  const { request } = context as GraphQLContext & { request?: Request };
  if (!request) throw new Error("the GraphQL context carries no request");
  return siweExpectationsFromRequest(request, { trustProxy: context.services.config.trustProxy });
}

function toGraphQLError(failure: LinkWalletFailure | SignInWithEthereumFailure): Error {
  switch (failure.kind) {
    case "siwe":
      return new SiweMessageError(failure.message, failure.code);
    case "address-taken":
      return new AddressAlreadyLinkedError(failure.message);
    case "no-account-for-address":
      return new NoAccountForAddressError(failure.message);
  }
}

function payoutAddressError(failure: SetPayoutAddressFailure): Error {
  switch (failure.kind) {
    case "validation":
      return new ValidationError(failure.message, failure.fieldErrors);
    case "wrong-password":
      return new WrongPasswordError(failure.message);
    case "rate-limited":
      return new RateLimitedError(failure.message, failure.retryAfterSeconds);
    case "address-taken":
      return new AddressAlreadyLinkedError(failure.message);
  }
}

builder.mutationFields((t) => ({
  siweNonce: t.field({
    type: SiweNonceRef,
    description:
      "Issues a single-use nonce for a Sign-In with Ethereum message. LINK needs a signed-in user.",
    args: { purpose: t.arg({ type: SiwePurposeEnum, required: true }) },
    errors: { types: [NotSignedInError, RateLimitedError] },
    resolve: async (_root, { purpose }, context) => {
      const { db, config } = context.services;
      let request: Parameters<typeof issueSiweNonce>[2];
      if (purpose === "link") {
        if (!context.viewer) throw new NotSignedInError();
        request = { purpose, userId: context.viewer.user.id };
      } else {
        request = { purpose, ip: context.client.ip };
      }
      const result = await issueSiweNonce(db, config, request, expectationsOf(context));
      if (!result.ok)
        throw new RateLimitedError(result.error.message, result.error.retryAfterSeconds);
      return result.value;
    },
  }),
  linkWallet: t.field({
    type: LinkWalletPayloadRef,
    description:
      "Links the address that signed `message` (requested with siweNonce(purpose: LINK)) to the " +
      "signed-in account, replacing any address linked before.",
    args: {
      message: t.arg.string({
        required: true,
        description: "The EIP-4361 message exactly as the wallet signed it.",
      }),
      signature: t.arg.string({
        required: true,
        description: "The wallet's personal_sign result.",
      }),
    },
    errors: { types: [NotSignedInError, SiweMessageError, AddressAlreadyLinkedError] },
    resolve: async (_root, { message, signature }, context) => {
      if (!context.viewer) throw new NotSignedInError();
      const result = await linkWallet(context.services.db, context.viewer.user.id, {
        message,
        signature,
        expected: expectationsOf(context),
      });
      if (!result.ok) throw toGraphQLError(result.error);
      return { ...result.value, user: context.viewer.user };
    },
  }),
  unlinkWallet: t.field({
    type: UnlinkWalletPayloadRef,
    description: "Unlinks the signed-in account's wallet; the link stays in its history.",
    errors: { types: [NotSignedInError, NoLinkedWalletError] },
    resolve: async (_root, _args, context) => {
      if (!context.viewer) throw new NotSignedInError();
      const result = await unlinkWallet(context.services.db, context.viewer.user.id);
      if (!result.ok) throw new NoLinkedWalletError(result.error.message);
      return { unlinked: result.value, user: context.viewer.user };
    },
  }),
  setPayoutAddress: t.field({
    type: LinkWalletPayloadRef,
    description:
      "Makes a pasted address (EIP-55: all-lower or all-upper case, or mixed case with a valid " +
      "checksum) the signed-in account's payout address, confirmed by the current password. " +
      "It replaces any linked address at once but receives settlements only after the " +
      "cooling-off period (see `receivesFrom`); the account's email is told. No wallet needed; " +
      "remove it with unlinkWallet.",
    args: {
      address: t.arg.string({ required: true }),
      password: t.arg.string({ required: true, description: "The account's current password." }),
    },
    errors: {
      types: [
        NotSignedInError,
        ValidationError,
        WrongPasswordError,
        RateLimitedError,
        AddressAlreadyLinkedError,
      ],
    },
    resolve: async (_root, { address, password }, context) => {
      if (!context.viewer) throw new NotSignedInError();
      const { db, config, settlement } = context.services;
      const result = await setPayoutAddress(
        db,
        config,
        context.viewer.user.id,
        { address, password },
        {
          ip: context.client.ip,
          platformAddresses: platformContractAddresses(settlement),
          mail: accountMailOf(context),
        },
      );
      if (!result.ok) throw payoutAddressError(result.error);
      return { ...result.value, user: context.viewer.user };
    },
  }),
  signInWithEthereum: t.field({
    type: AuthPayloadRef,
    description:
      "Signs in the account whose linked address signed `message` (requested with " +
      "siweNonce(purpose: SIGN_IN)); sets the session cookie like signIn.",
    args: {
      message: t.arg.string({
        required: true,
        description: "The EIP-4361 message exactly as the wallet signed it.",
      }),
      signature: t.arg.string({
        required: true,
        description: "The wallet's personal_sign result.",
      }),
    },
    errors: { types: [SiweMessageError, NoAccountForAddressError] },
    resolve: async (_root, { message, signature }, context) => {
      const { db, config } = context.services;
      const result = await signInWithEthereum(
        db,
        config,
        { message, signature, expected: expectationsOf(context) },
        { ...context.client, currentSessionId: context.viewer?.session.id ?? null },
      );
      if (!result.ok) throw toGraphQLError(result.error);
      context.responseCookies.push(sessionCookie(result.value, config.cookieSecure));
      return result.value;
    },
  }),
}));

builder.objectFields(UserRef, (t) => ({
  linkedWallet: t.field({
    type: WalletLinkRef,
    nullable: true,
    description:
      "The address this user's rewards settle to. Only visible to the user themself; null for " +
      "everyone else, and when no wallet is linked.",
    resolve: (user, _args, context) =>
      context.viewer?.user.id === user.id ? getLinkedWallet(context.services.db, user.id) : null,
  }),
  walletLinkHistory: t.field({
    type: [WalletLinkRef],
    nullable: true,
    description:
      "Every address this user linked, newest first, the active one included. Only visible to " +
      "the user themself; null for everyone else.",
    args: {
      first: t.arg.int({
        required: false,
        defaultValue: 20,
        description: `At most ${WALLET_LINK_HISTORY_MAX}.`,
      }),
    },
    resolve: (user, args, context) =>
      context.viewer?.user.id === user.id
        ? listWalletLinkHistory(context.services.db, user.id, { limit: args.first ?? 20 })
        : null,
  }),
}));
