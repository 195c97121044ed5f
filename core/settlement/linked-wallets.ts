import type { Address } from "viem";
import { listActiveWalletLinks } from "#core/wallet-link/wallet-link.service.ts";
import type { Db } from "#db/create-db.ts";
import type { LinkedWallet } from "./settlement-epoch.ts";

/**
 * Every active wallet link. Wallet linking stores addresses EIP-55 checksummed, the form
 * settlement keys addresses by, so they are used as stored (checksumming a million
 * addresses again would cost seconds per epoch).
 */
export async function linkedWalletsForSettlement(db: Db): Promise<LinkedWallet[]> {
  return (await listActiveWalletLinks(db)).map((link) => ({
    userId: link.userId,
    address: link.address as Address,
  }));
}
