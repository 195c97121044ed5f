import { encodeFunctionData, getAddress, numberToHex } from "viem";
import { rewardsDistributorAbi } from "#shared/abi/rewards-distributor.ts";
import { describeWalletError, WalletFlowError } from "./ethereum-wallet.ts";

/**
 * Sends RewardsDistributor.claim from the user's own browser wallet (EIP-1193), after
 * making sure the wallet is on the settlement chain. Resolves with the transaction hash.
 */
export async function claimWithBrowserWallet(claim: {
  account: string;
  cumulative: string;
  proof: string[];
  distributor: string;
  chainId: number;
}): Promise<`0x${string}`> {
  const provider = window.ethereum;
  if (!provider) throw new WalletFlowError("No browser wallet found.");
  try {
    const accounts = (await provider.request({ method: "eth_requestAccounts" })) as string[];
    const from = accounts?.[0];
    if (!from) throw new WalletFlowError("Your wallet did not share an address.");
    const chainHex = (await provider.request({ method: "eth_chainId" })) as string;
    if (Number.parseInt(chainHex, 16) !== claim.chainId) {
      await provider.request({
        method: "wallet_switchEthereumChain",
        params: [{ chainId: numberToHex(claim.chainId) }],
      });
    }
    const data = encodeFunctionData({
      abi: rewardsDistributorAbi,
      functionName: "claim",
      args: [getAddress(claim.account), BigInt(claim.cumulative), claim.proof as `0x${string}`[]],
    });
    const hash = await provider.request({
      method: "eth_sendTransaction",
      params: [{ from, to: claim.distributor, data }],
    });
    if (typeof hash !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(hash)) {
      throw new WalletFlowError("Your wallet did not return a transaction.");
    }
    return hash as `0x${string}`;
  } catch (error) {
    throw error instanceof WalletFlowError
      ? error
      : new WalletFlowError(describeWalletError(error));
  }
}
