import type { Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { anvilPrivateKeys } from "#chain/anvil-accounts.ts";
import { createChainClients } from "#chain/clients.ts";
import { deployContracts } from "#chain/deploy.ts";
import { createSettlementChain, type SettlementChain } from "#chain/settlement-chain.ts";
import type { UserId } from "#core/auth/ids.ts";
import {
  ensureAccounts,
  mintAccount,
  userWalletAccount,
} from "#core/ledger/accounts.repository.ts";
import { transfer } from "#core/ledger/transfers.service.ts";
import type { LinkedWallet } from "#core/settlement/settlement-epoch.ts";
import type { Db } from "#db/create-db.ts";
import type { TestChain } from "#tests/support/anvil.ts";

/** A fresh distributor and token on the shared test anvil, so each suite starts at epoch 0. */
export async function freshSettlementChain(testChain: TestChain): Promise<SettlementChain> {
  const contracts = await deployContracts(testChain.deployer);
  return createSettlementChain(testChain.deployer, contracts, { confirmations: 1 });
}

/** Puts `amount` straight into a user's available balance (a real ledger transfer from the mint). */
export async function creditAvailable(db: Db, userId: UserId, amount: bigint, key: string) {
  const ids = await ensureAccounts(db, [mintAccount, userWalletAccount(userId)]);
  await transfer(db, {
    phase: "single",
    key,
    debitAccountId: ids.get(mintAccount.code)!,
    creditAccountId: ids.get(userWalletAccount(userId).code)!,
    amount,
    kind: "test_credit",
  });
}

/** anvil dev account `index` as a wallet a user links (1–9 hold ETH and no roles). */
export function devWallet(index: number): { address: Address; privateKey: `0x${string}` } {
  const privateKey = anvilPrivateKeys[index]!;
  return { address: privateKeyToAccount(privateKey).address, privateKey };
}

export function fixedLinks(links: LinkedWallet[]): () => Promise<LinkedWallet[]> {
  return async () => links;
}

export { createChainClients };
