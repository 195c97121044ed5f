import {
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  webSocket,
  type Chain,
  type PrivateKeyAccount,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";

export type ChainClients = {
  publicClient: PublicClient<Transport, Chain>;
  walletClient: WalletClient<Transport, Chain, PrivateKeyAccount>;
  account: PrivateKeyAccount;
  chainId: number;
  chain: Chain;
};

export type ChainClientOptions = {
  rpcUrl: string;
  privateKey: `0x${string}`;
  /** How often to poll for receipts and blocks; defaults to 100 ms on anvil, 2 s elsewhere. */
  pollingIntervalMs?: number;
};

const anvilChainId = 31337;

/**
 * Clients for one RPC endpoint and one signing key. The chain is whatever the endpoint says
 * it is (eth_chainId), so the same code settles on the embedded anvil or any EVM chain.
 */
export async function createChainClients(options: ChainClientOptions): Promise<ChainClients> {
  const isWebSocket = /^wss?:\/\//.test(options.rpcUrl);
  const transport = isWebSocket ? webSocket(options.rpcUrl) : http(options.rpcUrl);
  const chainId = await createPublicClient({ transport }).getChainId();
  const isAnvil = chainId === anvilChainId;
  const chain = defineChain({
    id: chainId,
    name: isAnvil ? "Anvil" : `EVM chain ${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: {
      default: isWebSocket ? { http: [], webSocket: [options.rpcUrl] } : { http: [options.rpcUrl] },
    },
  });
  const pollingInterval = options.pollingIntervalMs ?? (isAnvil ? 100 : 2_000);
  const account = privateKeyToAccount(options.privateKey);
  const publicClient = createPublicClient({ chain, transport, pollingInterval });
  const walletClient = createWalletClient({ account, chain, transport, pollingInterval });
  return { publicClient, walletClient, account, chainId, chain };
}
