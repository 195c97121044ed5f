import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SettlementChain } from "#chain/settlement-chain.ts";
import type { UserId } from "#core/auth/ids.ts";
import { startClaimRelayWithinLimit } from "#core/settlement/settlement.repository.ts";
import { runSettlementEpoch } from "#core/settlement/settlement-epoch.ts";
import {
  getClaimProof,
  RELAYED_CLAIMS_PER_DAY,
  relayClaim,
} from "#core/settlement/settlement.service.ts";
import { insertLink } from "#core/wallet/wallet-link.repository.ts";
import { listActiveWalletLinks } from "#core/wallet/wallet-link.service.ts";
import { startTestChain, type TestChain } from "#tests/support/anvil.ts";
import { newAccountInput } from "#tests/support/factories.ts";
import { TestClient } from "#tests/support/http-client.ts";
import { signUpAndSignInByGraphQL } from "#tests/support/sign-up-flows.ts";
import { testBackends } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";
import { creditAvailable, devWallet, freshSettlementChain } from "./settlement-support.ts";

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
const LIMIT_MESSAGE =
  /^You can ask us to send 3 claims a day; claim from your own wallet, or try again after \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC\.$/;

const RELAY = /* GraphQL */ `
  mutation Relay($address: String!) {
    relayClaim(address: $address) {
      __typename
      ... on RelayedClaim {
        txHash
        isReplay
      }
      ... on RateLimitedError {
        retryAfterSeconds
      }
      ... on Error {
        message
      }
    }
  }
`;

let testChain: TestChain;
beforeAll(async () => {
  testChain = await startTestChain();
});
afterAll(async () => {
  await testChain?.close();
});

describe.each(testBackends())("the cap on relayed claims on %s", (backend) => {
  let server: TestServer;
  let chain: SettlementChain;
  let client: TestClient;
  let userId: UserId;
  let epochs = 0;
  const wallet = devWallet(8);

  beforeAll(async () => {
    chain = await freshSettlementChain(testChain);
    server = await startTestServer(
      backend,
      {},
      { chain: { chain, rpcUrl: testChain.rpcUrl, stop: async () => {} } },
    );
    client = new TestClient(server.url);
    const globalId = (await signUpAndSignInByGraphQL(client, newAccountInput())).id;
    userId = Buffer.from(globalId, "base64")
      .toString()
      .replace(/^User:/, "") as UserId;
    await insertLink(server.db, {
      userId,
      address: wallet.address,
      chainId: testChain.chainId,
      message: "linked by the relay limit suite",
      signature: "0x",
      now: new Date(),
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  /** Settles something new to the wallet, so there is a claim to relay. */
  async function settleMore() {
    epochs++;
    await creditAvailable(server.db, userId, 10n, `relay-limit:${backend}:${epochs}`);
    const run = await runSettlementEpoch({
      db: server.db,
      chain,
      linkedWallets: listActiveWalletLinks,
    });
    expect(run.kind).toBe("final");
  }

  /** Earlier relays of this user's, `hoursAgo` each, as the repository keeps them. */
  async function earlierRelays(
    rows: { hoursAgo: number; status?: "sent" | "confirmed" | "failed"; txHash?: string | null }[],
  ) {
    await sql`delete from settlement_claim_relays where requested_by = ${userId}`.execute(
      server.db,
    );
    for (const [i, row] of rows.entries()) {
      await sql`
        insert into settlement_claim_relays (address, cumulative, requested_by, tx_hash, status, created_at)
        values (${`0x${String(i + 1).padStart(40, "0")}`}, 1, ${userId},
          ${row.txHash === undefined ? `0x${"ab".repeat(32)}` : row.txHash},
          ${row.status ?? "confirmed"}, now() - make_interval(secs => ${(row.hoursAgo * HOUR_MS) / 1000}))`.execute(
        server.db,
      );
    }
  }

  async function relaysOfWallet() {
    return server.db
      .selectFrom("settlement_claim_relays")
      .select(["cumulative", "status", "tx_hash"])
      .where("address", "=", wallet.address)
      .execute();
  }

  it("refuses a 4th relay within 24 hours with when to try again, and sends nothing", async () => {
    expect(RELAYED_CLAIMS_PER_DAY).toBe(3);
    await settleMore();
    await earlierRelays([{ hoursAgo: 23 }, { hoursAgo: 2 }, { hoursAgo: 1, status: "sent" }]);
    const before = await chain.tokenBalance(wallet.address);
    const asked = Date.now();
    const result = await relayClaim(server.db, chain, userId, wallet.address);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe("relay_limit");
    expect(result.error.message).toMatch(LIMIT_MESSAGE);
    // The oldest of the three leaves the window 24 hours after it was sent: in an hour.
    if (result.error.kind !== "relay_limit") return;
    expect(result.error.retryAfterSeconds).toBeGreaterThan(HOUR_MS / 1000 - 120);
    expect(result.error.retryAfterSeconds).toBeLessThanOrEqual(HOUR_MS / 1000 + 1);
    expect(Math.abs(result.error.retryAt.getTime() - (asked + HOUR_MS))).toBeLessThan(120_000);
    expect(await relaysOfWallet()).toEqual([]);
    expect(await chain.tokenBalance(wallet.address)).toBe(before);
  });

  it("refuses on both doors: GraphQL's RateLimitedError and the wallet page's message", async () => {
    await earlierRelays([{ hoursAgo: 23 }, { hoursAgo: 2 }, { hoursAgo: 1 }]);
    const { body } = await client.graphql<{
      relayClaim: { __typename: string; message: string; retryAfterSeconds: number };
    }>(RELAY, { address: wallet.address });
    expect(body.data!.relayClaim.__typename).toBe("RateLimitedError");
    expect(body.data!.relayClaim.message).toMatch(LIMIT_MESSAGE);
    expect(body.data!.relayClaim.retryAfterSeconds).toBeGreaterThan(0);

    const form = await client.postForm("/wallet/claim", {
      intent: "relay",
      address: wallet.address,
    });
    expect(form.status).toBe(302);
    const location = new URL(form.headers.get("location")!, server.url);
    expect(location.pathname).toBe("/wallet");
    expect(location.searchParams.get("claim")).toBe("failed");
    expect(location.searchParams.get("message")).toMatch(LIMIT_MESSAGE);
    expect(await relaysOfWallet()).toEqual([]);
  });

  it("counts a rolling 24 hours: once the oldest relay is a day old, the claim goes", async () => {
    await earlierRelays([{ hoursAgo: 25 }, { hoursAgo: 2 }, { hoursAgo: 1 }]);
    const result = await relayClaim(server.db, chain, userId, wallet.address);
    expect(result).toMatchObject({ ok: true, value: { isReplay: false } });
    // Asking again for the same claim replays it and never counts: nothing new is sent.
    const again = await relayClaim(server.db, chain, userId, wallet.address);
    if (again.ok) expect(again.value.isReplay).toBe(true);
    else expect(again.error.kind).toBe("nothing_to_claim");
  });

  it("does not count relays the chain refused before anything was sent", async () => {
    await settleMore();
    await earlierRelays([
      { hoursAgo: 3, status: "failed", txHash: null },
      { hoursAgo: 2, status: "failed", txHash: null },
      { hoursAgo: 1, status: "failed", txHash: null },
      { hoursAgo: 1 },
    ]);
    const result = await relayClaim(server.db, chain, userId, wallet.address);
    expect(result).toMatchObject({ ok: true, value: { isReplay: false } });
  });

  it("never sends again a relay whose transaction failed on chain, and counts a retried one anew", async () => {
    await settleMore();
    await earlierRelays([{ hoursAgo: 30 }]);
    const proof = (await getClaimProof(server.db, wallet.address))!;
    const reverted = `0x${"cd".repeat(32)}`;
    await sql`
      insert into settlement_claim_relays (address, cumulative, requested_by, tx_hash, status, created_at)
      values (${wallet.address}, ${proof.cumulative.toString()}, ${userId}, ${reverted}, 'failed',
        now() - interval '2 hours')`.execute(server.db);
    const refused = await relayClaim(server.db, chain, userId, wallet.address);
    expect(refused).toMatchObject({ ok: false, error: { kind: "chain_refused" } });
    if (refused.ok) return;
    expect(refused.error.message).toContain("claim from your own wallet");
    expect(await relaysOfWallet()).toMatchObject([{ status: "failed", tx_hash: reverted }]);

    // A relay the chain refused before it was sent may be sent again; the new send counts now.
    await sql`update settlement_claim_relays set tx_hash = null where tx_hash = ${reverted}`.execute(
      server.db,
    );
    const retried = await relayClaim(server.db, chain, userId, wallet.address);
    expect(retried).toMatchObject({ ok: true, value: { isReplay: false } });
    const { rows } = await sql<{ recent: boolean }>`
      select created_at > now() - interval '1 minute' as recent from settlement_claim_relays
      where address = ${wallet.address} and cumulative = ${proof.cumulative.toString()}`.execute(
      server.db,
    );
    expect(rows).toEqual([{ recent: true }]);
  });

  it("holds under concurrent requests: exactly the relays left under the cap start", async () => {
    await earlierRelays([{ hoursAgo: 2 }, { hoursAgo: 1 }]);
    // Open the pool's connections first, so the requests below really run side by side.
    await Promise.all(
      Array.from({ length: 8 }, () => sql`select pg_sleep(0.05)`.execute(server.db)),
    );
    const attempts = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        startClaimRelayWithinLimit(
          server.db,
          {
            address: `0x${String(100 + i).padStart(40, "0")}`,
            cumulative: 1n,
            requestedBy: userId,
          },
          { perWindow: RELAYED_CLAIMS_PER_DAY, windowMs: DAY_MS },
        ),
      ),
    );
    expect(attempts.filter((a) => a.kind === "started")).toHaveLength(1);
    expect(attempts.filter((a) => a.kind === "limited")).toHaveLength(7);
  });
});
