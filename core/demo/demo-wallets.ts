import { privateKeyToAccount } from "viem/accounts";
import { anvilPrivateKeys } from "#chain/anvil-accounts.ts";
import { isPostgresError } from "#core/ledger/ledger-error.ts";
import {
  findActiveLinkOfAddress,
  findActiveLinkOfUser,
  insertLink,
} from "#core/wallet/wallet-link.repository.ts";
import type { UserId } from "#core/auth/ids.ts";
import { findUserByHandle } from "#core/auth/user.repository.ts";
import type { Db } from "#db/create-db.ts";

/**
 * Grace and Kofi start with wallets linked (anvil's public dev accounts 2 and 3), so the
 * demo's first settlement epoch has someone to pay; Ada and Mei are left to try linking.
 */
const demoWallets = [
  { handle: "grace", key: anvilPrivateKeys[2] },
  { handle: "kofi", key: anvilPrivateKeys[3] },
] as const;

export async function seedDemoWallets(db: Db): Promise<void> {
  for (const { handle, key } of demoWallets) {
    const user = await findUserByHandle(db, handle);
    if (!user) continue;
    const userId = user.id as UserId;
    const account = privateKeyToAccount(key);
    if (await findActiveLinkOfUser(db, userId)) continue;
    if (await findActiveLinkOfAddress(db, account.address)) continue;
    const message = `Tributary demo data: ${handle} links ${account.address}.`;
    try {
      await insertLink(db, {
        userId: userId,
        address: account.address,
        chainId: 31337,
        message,
        signature: await account.signMessage({ message }),
        now: new Date(),
      });
    } catch (error) {
      // Another instance seeding at the same moment linked it first.
      if (!isPostgresError(error, "23505")) throw error;
    }
  }
}
