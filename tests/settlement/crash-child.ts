/**
 * Runs one settlement epoch in its own process and SIGKILLs itself at the step named by
 * CRASH_AT: the crash-safety suite's stand-in for a power cut at the worst moment.
 */
import { anvilDeployerPrivateKey } from "#chain/anvil-accounts.ts";
import { createChainClients } from "#chain/clients.ts";
import { createSettlementChain } from "#chain/settlement-chain.ts";
import { runSettlementEpoch } from "#core/settlement/settlement-epoch.ts";
import { listActiveWalletLinks } from "#core/wallet/wallet-link.service.ts";
import { createDb } from "#db/create-db.ts";

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const db = createDb({ kind: "postgres", url: env("DATABASE_URL"), poolSize: 2 });
const clients = await createChainClients({
  rpcUrl: env("RPC_URL"),
  privateKey: anvilDeployerPrivateKey,
});
const chain = createSettlementChain(
  clients,
  {
    distributor: env("DISTRIBUTOR") as `0x${string}`,
    microToken: env("MICRO_TOKEN") as `0x${string}`,
  },
  { confirmations: 1 },
);
const crashAt = env("CRASH_AT");
const run = await runSettlementEpoch({
  db,
  chain,
  linkedWallets: listActiveWalletLinks,
  onStep: (step) => {
    if (step === crashAt) process.kill(process.pid, "SIGKILL");
  },
});
console.log(JSON.stringify({ finished: run.kind }));
await db.destroy();
