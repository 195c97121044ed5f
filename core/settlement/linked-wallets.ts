import { getAddress } from "viem";
import { listActiveWalletLinks } from "#core/wallet-link/wallet-link.service.ts";
import type { Db } from "#db/create-db.ts";
import type { LinkedWallet } from "./settlement-epoch.ts";

/** Every active wallet link, in the checksummed form settlement keys addresses by. */
export async function linkedWalletsForSettlement(db: Db): Promise<LinkedWallet[]> {
  return (await listActiveWalletLinks(db)).map((link) => ({
    userId: link.userId,
    address: getAddress(link.address),
  }));
}
