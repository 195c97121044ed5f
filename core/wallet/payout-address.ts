import { getAddress } from "viem";
import type { SignInLimits } from "#runtime/config.ts";
import { payoutAddressAddedMessage } from "#core/mail/account-messages.ts";
import type { Db } from "#db/create-db.ts";
import { accountLinks, sendInBackground, type AccountMail } from "../auth/account-mail.ts";
import type { UserId } from "../auth/ids.ts";
import { verifyPassword } from "../auth/password-hash.ts";
import {
  checkSignInThrottle,
  clearSignInFailures,
  recordSignInFailure,
  type SignInThrottled,
} from "../auth/sign-in-throttle.ts";
import { findUserById } from "../auth/user.repository.ts";
import { err, ok, validationFailure, type Result, type ValidationFailure } from "../result.ts";
import { insertPastedLink } from "./payout-address.repository.ts";
import { endActiveLink, findActiveLinkOfAddress, lockUser } from "./wallet-link.repository.ts";
import type { LinkWalletOutcome } from "./wallet-link.service.ts";
import { toWalletLink, walletLinkMessages, type AddressTakenFailure } from "./wallet-link.ts";

export type PayoutAddressPolicy = {
  signInLimits: SignInLimits;
  /** How long a pasted address waits before it receives anything. */
  payoutAddressCoolingOffMs: number;
};

export type SetPayoutAddressInput = { address: string; password: string };

export type SetPayoutAddressContext = {
  /** The caller's network address, for the wrong-password throttle. */
  ip: string | null;
  /** The platform's own contracts (distributor, token): settling to them would lose the MICRO. */
  platformAddresses: readonly string[];
  /** Where the "address added" mail goes out; without it nothing is mailed (fixtures). */
  mail?: AccountMail;
  now?: Date;
};

export type WrongPasswordFailure = { kind: "wrong-password"; message: string };

export type SetPayoutAddressFailure =
  ValidationFailure | WrongPasswordFailure | SignInThrottled | AddressTakenFailure;

export const payoutAddressMessages = {
  notAnAddress: "Enter an Ethereum address: 0x followed by 40 hexadecimal characters.",
  badChecksum:
    "That address's mix of capital letters does not match its checksum (EIP-55): a character was probably mistyped. Copy it again from your wallet.",
  zeroAddress: "The zero address belongs to nobody: anything sent there is lost.",
  platformAddress: "That is one of Tributary's own contracts, not an address you can receive at.",
  passwordRequired: "Enter your current password.",
  wrongPassword: "That is not your current password.",
} as const;

const ADDRESS_SHAPE = /^0x[0-9a-fA-F]{40}$/;
const ZERO_ADDRESS = `0x${"0".repeat(40)}`;

/**
 * The EIP-55 form of a pasted address, or why it is refused: all-lower and all-upper hex
 * carry no checksum and are taken; a mixed-case address must match its checksum.
 */
export function parsePayoutAddress(
  raw: string,
  platformAddresses: readonly string[] = [],
): Result<`0x${string}`, string> {
  const text = raw.trim();
  if (!ADDRESS_SHAPE.test(text)) return err(payoutAddressMessages.notAnAddress);
  const hex = text.slice(2);
  const checksummed = getAddress(text.toLowerCase());
  const carriesChecksum = hex !== hex.toLowerCase() && hex !== hex.toUpperCase();
  if (carriesChecksum && checksummed !== text) return err(payoutAddressMessages.badChecksum);
  if (checksummed.toLowerCase() === ZERO_ADDRESS) return err(payoutAddressMessages.zeroAddress);
  if (platformAddresses.some((a) => a.toLowerCase() === checksummed.toLowerCase())) {
    return err(payoutAddressMessages.platformAddress);
  }
  return ok(checksummed);
}

// A fixed zone and words, like the wallet page: "9 Dec 2026, 14:00 UTC".
const receivesFromFormat = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});
export const describeReceivesFrom = (at: Date) => `${receivesFromFormat.format(at)} UTC`;

function isActiveLinkConflict(error: unknown): boolean {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  return typeof e === "object" && e !== null && e.code === "23505";
}

class RolledBack extends Error {
  constructor(readonly failure: AddressTakenFailure) {
    super("rolled back");
  }
}

/**
 * Makes a pasted address the user's payout address, confirmed by their current password
 * (wrong passwords count against the sign-in throttle and change nothing). It replaces the
 * active link at once — the previous address stops receiving — but receives settlements
 * only after the cooling-off period; the account's email is told. Pasting the address that
 * is already active changes nothing and keeps its date.
 */
export async function setPayoutAddress(
  db: Db,
  policy: PayoutAddressPolicy,
  userId: UserId,
  input: SetPayoutAddressInput,
  context: SetPayoutAddressContext,
): Promise<Result<LinkWalletOutcome, SetPayoutAddressFailure>> {
  const now = context.now ?? new Date();
  const address = parsePayoutAddress(String(input.address ?? ""), context.platformAddresses);
  const password = typeof input.password === "string" ? input.password : "";
  const fieldErrors: Record<string, string[]> = {};
  if (!address.ok) fieldErrors.address = [address.error];
  if (password.length === 0) fieldErrors.password = [payoutAddressMessages.passwordRequired];
  if (!address.ok || password.length === 0) return err(validationFailure(fieldErrors));

  const user = await findUserById(db, userId);
  if (!user) throw new Error(`setPayoutAddress: user ${userId} does not exist`);
  const limits = policy.signInLimits;
  const throttled = await checkSignInThrottle(db, limits, user.email, context.ip, now);
  if (throttled) return err(throttled);
  if (!(await verifyPassword(user.password_hash, password))) {
    await recordSignInFailure(db, limits, user.email, context.ip, now);
    return err({ kind: "wrong-password", message: payoutAddressMessages.wrongPassword });
  }
  await clearSignInFailures(db, user.email, context.ip);

  let outcome: LinkWalletOutcome;
  try {
    outcome = await db.transaction().execute(async (trx) => {
      await lockUser(trx, userId);
      const holder = await findActiveLinkOfAddress(trx, address.value);
      if (holder && holder.user_id !== userId) {
        throw new RolledBack({ kind: "address-taken", message: walletLinkMessages.addressTaken });
      }
      if (holder) return { link: toWalletLink(holder), replaced: null, isUnchanged: true };
      const replaced = await endActiveLink(trx, userId, now);
      const row = await insertPastedLink(trx, {
        userId,
        address: address.value,
        now,
        receivesFrom: new Date(now.getTime() + policy.payoutAddressCoolingOffMs),
      });
      return {
        link: toWalletLink(row),
        replaced: replaced ? toWalletLink(replaced) : null,
        isUnchanged: false,
      };
    });
  } catch (error) {
    if (error instanceof RolledBack) return err(error.failure);
    // Another account linked the same address a moment ago (or another tab this one).
    if (isActiveLinkConflict(error)) {
      return err({ kind: "address-taken", message: walletLinkMessages.addressTaken });
    }
    throw error;
  }

  const mail = context.mail;
  if (mail && !outcome.isUnchanged) {
    sendInBackground(mail, (mailer) =>
      mailer.send(
        payoutAddressAddedMessage({
          to: user.email,
          displayName: user.display_name,
          address: outcome.link.address,
          receivesFrom: describeReceivesFrom(outcome.link.receivesFrom),
          walletLink: `${mail.linkOrigin}/wallet`,
          resetLink: accountLinks.forgotPassword(mail.linkOrigin),
        }),
      ),
    );
  }
  return ok(outcome);
}

/** The platform's own contracts on the settlement chain, which no one may paste; none without a chain. */
export function platformContractAddresses(
  settlement: { chain: { distributor: string; microToken: string } } | null,
): string[] {
  return settlement ? [settlement.chain.distributor, settlement.chain.microToken] : [];
}
