import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anvilPrivateKeys } from "#chain/anvil-accounts.ts";
import { startAnvil, type Anvil } from "#chain/anvil.ts";
import { openSettlementChain, type OpenChain } from "#chain/open-settlement-chain.ts";
import type { UserId } from "#core/auth/ids.ts";
import { loadConfig } from "#runtime/config.ts";
import { runSettlementEpoch } from "#core/settlement/settlement-epoch.ts";
import { createUser } from "#tests/support/factories.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";
import { creditAvailable, devWallet, fixedLinks } from "./settlement-support.ts";

const run = promisify(execFile);

// An anvil started by the test stands in for "any EVM chain": the app reaches it only
// through CHAIN_RPC_URL and the addresses chain:deploy printed, never as its own anvil.
describe("settling on an RPC chain configured by environment variables", () => {
  let external: Anvil;
  let open: OpenChain;
  let testDb: TestDb;
  const settlerKey = anvilPrivateKeys[1];

  beforeAll(async () => {
    external = await startAnvil();
    const deployed = await run(process.execPath, ["--import", "tsx", "scripts/chain-deploy.ts"], {
      env: { ...process.env, CHAIN_RPC_URL: external.rpcUrl, CHAIN_PRIVATE_KEY: settlerKey },
    });
    const printed = Object.fromEntries(
      deployed.stdout
        .trim()
        .split("\n")
        .map((line) => line.split("=") as [string, string]),
    );
    expect(Object.keys(printed).sort()).toEqual([
      "MICRO_TOKEN_ADDRESS",
      "REWARDS_DISTRIBUTOR_ADDRESS",
    ]);
    const config = loadConfig({
      CHAIN_RPC_URL: external.rpcUrl,
      CHAIN_PRIVATE_KEY: settlerKey,
      CHAIN_CONFIRMATIONS: "3",
      ...printed,
    });
    expect(config.chain.kind).toBe("rpc");
    if (config.chain.kind === "off") throw new Error("unreachable");
    open = await openSettlementChain(config.chain, null);
    testDb = await openTestDb(testBackends()[0]!);
  });
  afterAll(async () => {
    await open?.stop();
    await testDb?.close();
    await external?.stop();
  });

  it("waits for the configured confirmations before it calls an epoch final", async () => {
    const { user } = await createUser(testDb.db);
    await creditAvailable(testDb.db, user.id as UserId, 1234n, "rpc:1");
    const links = fixedLinks([{ userId: user.id, address: devWallet(6).address }]);
    const deps = { db: testDb.db, chain: open.chain, linkedWallets: links };

    const first = await runSettlementEpoch(deps);
    expect(first).toMatchObject({ kind: "waiting", for: "confirmations" });
    expect((await open.chain.readState()).epoch).toBe(1);

    // One more block: two confirmations of three. Still waiting.
    await fetch(external.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "anvil_mine", params: ["0x1"] }),
    });
    expect(await runSettlementEpoch(deps)).toMatchObject({ kind: "waiting" });

    await fetch(external.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "anvil_mine", params: ["0x1"] }),
    });
    const final = await runSettlementEpoch(deps);
    expect(final).toMatchObject({ kind: "final", epoch: { epoch: 1, minted: 1234n } });
    expect(await open.chain.tokenBalance(open.chain.distributor)).toBe(1234n);
  });
});
