/**
 * `npm run chain:deploy`: deploys MicroToken and RewardsDistributor to the chain at
 * CHAIN_RPC_URL with the key in CHAIN_PRIVATE_KEY (which becomes admin, pauser and settler),
 * then prints the environment lines that point the app at them:
 *
 *   MICRO_TOKEN_ADDRESS=0x…
 *   REWARDS_DISTRIBUTOR_ADDRESS=0x…
 *
 * Progress goes to stderr, so `npm run -s chain:deploy >> .env` captures only those lines.
 * CHAIN_CONFIRMATIONS (default 1) sets how many blocks each step waits for.
 */
import { z } from "zod";
import { createChainClients } from "#chain/clients.ts";
import { deployContracts } from "#chain/deploy.ts";

const envSchema = z.object({
  CHAIN_RPC_URL: z
    .string({ error: "is required: the JSON-RPC endpoint to deploy to" })
    .trim()
    .regex(/^(https?|wss?):\/\//, "must be an http(s):// or ws(s):// URL"),
  CHAIN_PRIVATE_KEY: z
    .string({ error: "is required: the deployer's private key" })
    .trim()
    .regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x-prefixed 32-byte private key")
    .transform((key) => key as `0x${string}`),
  CHAIN_CONFIRMATIONS: z.coerce.number().int().min(1).optional(),
});

const parsed = envSchema.safeParse(
  Object.fromEntries(Object.entries(process.env).filter(([, value]) => value !== "")),
);
if (!parsed.success) {
  for (const issue of parsed.error.issues) {
    console.error(`${issue.path.join(".")}: ${issue.message}`);
  }
  process.exit(2);
}
const env = parsed.data;

try {
  const clients = await createChainClients({
    rpcUrl: env.CHAIN_RPC_URL,
    privateKey: env.CHAIN_PRIVATE_KEY,
  });
  console.error(`deploying to chain ${clients.chainId} from ${clients.account.address}…`);
  const contracts = await deployContracts(clients, { confirmations: env.CHAIN_CONFIRMATIONS });
  console.log(`MICRO_TOKEN_ADDRESS=${contracts.microToken}`);
  console.log(`REWARDS_DISTRIBUTOR_ADDRESS=${contracts.distributor}`);
  process.exit(0);
} catch (error) {
  console.error(`deployment failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
