import { startAnvil, type Anvil } from "#chain/anvil.ts";
import { anvilDeployerPrivateKey, anvilPrivateKeys } from "#chain/anvil-accounts.ts";
import { createChainClients, type ChainClients } from "#chain/clients.ts";
import { deployContracts, type DeployedContracts } from "#chain/deploy.ts";

export type TestChain = {
  anvil: Anvil;
  rpcUrl: string;
  chainId: number;
  /** Account 0: deployed the contracts, holds every admin role and SETTLER_ROLE. */
  deployer: ChainClients;
  contracts: DeployedContracts;
  /** Clients for anvil dev account `index` (1–9 hold no roles), funded with ETH for gas. */
  clientsFor(index: number): Promise<ChainClients>;
  close(): Promise<void>;
};

/**
 * A fresh anvil (no state file) with MicroToken and RewardsDistributor deployed. Start one
 * per test file in beforeAll and close it in afterAll; tests inside the file share it, so
 * each builds its own accounts and amounts rather than assuming a clean chain.
 */
export async function startTestChain(): Promise<TestChain> {
  const anvil = await startAnvil();
  try {
    const deployer = await createChainClients({
      rpcUrl: anvil.rpcUrl,
      privateKey: anvilDeployerPrivateKey,
    });
    const contracts = await deployContracts(deployer);
    return {
      anvil,
      rpcUrl: anvil.rpcUrl,
      chainId: anvil.chainId,
      deployer,
      contracts,
      clientsFor: (index) => {
        const privateKey = anvilPrivateKeys[index];
        if (!privateKey) throw new Error(`anvil has no dev account ${index}`);
        return createChainClients({ rpcUrl: anvil.rpcUrl, privateKey });
      },
      close: () => anvil.stop(),
    };
  } catch (error) {
    await anvil.stop();
    throw error;
  }
}
