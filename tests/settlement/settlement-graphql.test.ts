import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SettlementChain } from "#chain/settlement-chain.ts";
import type { UserId } from "#core/auth/ids.ts";
import { listActiveWalletLinks } from "#core/wallet/wallet-link.service.ts";
import { runSettlementEpoch } from "#core/settlement/settlement-epoch.ts";
import { insertLink } from "#core/wallet/wallet-link.repository.ts";
import { startTestChain, type TestChain } from "#tests/support/anvil.ts";
import { newAccountInput } from "#tests/support/factories.ts";
import { TestClient } from "#tests/support/http-client.ts";
import { signUpAndSignInByGraphQL } from "#tests/support/sign-up-flows.ts";
import { testBackends } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";
import { creditAvailable, devWallet, freshSettlementChain } from "./settlement-support.ts";

const MY_SETTLEMENT = /* GraphQL */ `
  query {
    viewer {
      wallet {
        available
        settled
      }
      settlement {
        totalClaimable
        totalClaimed
        addresses {
          address
          onChain
          claimed
          claimable
          inFlight
        }
        payouts {
          epoch
          address
          amount
          status
          txHash
        }
      }
    }
  }
`;

const CLAIM_PROOF = /* GraphQL */ `
  query Proof($address: String!) {
    claimProof(address: $address) {
      epoch
      root
      account
      cumulativeAmount
      proof
      chainId
      distributor
    }
  }
`;

const EPOCHS = /* GraphQL */ `
  query Epochs($first: Int, $after: String) {
    settlementEpochs(first: $first, after: $after) {
      edges {
        cursor
        node {
          epoch
          status
          minted
          cumulativeTotal
          accountCount
          txHash
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

const RELAY = /* GraphQL */ `
  mutation Relay($address: String!) {
    relayClaim(address: $address) {
      __typename
      ... on RelayedClaim {
        address
        cumulativeAmount
        txHash
        isReplay
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

describe.each(testBackends())("settlement through GraphQL on %s", (backend) => {
  let server: TestServer;
  let chain: SettlementChain;
  let client: TestClient;
  let userId: UserId;
  const wallet = devWallet(5);

  beforeAll(async () => {
    chain = await freshSettlementChain(testChain);
    server = await startTestServer(
      backend,
      {},
      {
        chain: { chain, rpcUrl: testChain.rpcUrl, stop: async () => {} },
      },
    );
    client = new TestClient(server.url);
    // GraphQL ids are Relay global ids: base64 of "User:<uuid>".
    const globalId = (await signUpAndSignInByGraphQL(client, newAccountInput())).id;
    userId = Buffer.from(globalId, "base64")
      .toString()
      .replace(/^User:/, "") as UserId;
    await insertLink(server.db, {
      userId,
      address: wallet.address,
      chainId: testChain.chainId,
      message: "linked by the settlement GraphQL suite",
      signature: "0x",
      now: new Date(),
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("shows the viewer what an epoch settled to their address, and the proof to claim it", async () => {
    const { available: before } = (
      await client.graphql<{ viewer: { wallet: { available: string } } }>(MY_SETTLEMENT)
    ).body.data!.viewer.wallet;
    await creditAvailable(server.db, userId, 42n, `gql:${backend}:1`);
    const run = await runSettlementEpoch({
      db: server.db,
      chain,
      linkedWallets: listActiveWalletLinks,
    });
    expect(run.kind).toBe("final");

    const { body } = await client.graphql<{
      viewer: { wallet: { available: string; settled: string }; settlement: unknown };
    }>(MY_SETTLEMENT);
    expect(body.errors).toBeUndefined();
    const settled = (BigInt(before) + 42n).toString();
    expect(body.data!.viewer.wallet).toEqual({ available: "0", settled });
    expect(body.data!.viewer.settlement).toMatchObject({
      totalClaimable: settled,
      totalClaimed: "0",
      addresses: [{ address: wallet.address, onChain: settled, claimable: settled, inFlight: "0" }],
      payouts: [{ epoch: 1, address: wallet.address, amount: settled, status: "FINAL" }],
    });

    const proof = await client.graphql<{ claimProof: Record<string, unknown> }>(CLAIM_PROOF, {
      address: wallet.address.toLowerCase(),
    });
    expect(proof.body.data!.claimProof).toMatchObject({
      epoch: 1,
      account: wallet.address,
      cumulativeAmount: settled,
      chainId: testChain.chainId,
      distributor: chain.distributor,
    });
    expect((await chain.readState()).root).toBe(proof.body.data!.claimProof.root);
  });

  it("lists epochs publicly, newest first, with cursor pages", async () => {
    const anonymous = new TestClient(server.url);
    const { body } = await anonymous.graphql<{
      settlementEpochs: { edges: { node: { epoch: number; status: string } }[] };
    }>(EPOCHS, { first: 5 });
    expect(body.data!.settlementEpochs.edges.map((e) => e.node)).toMatchObject([
      { epoch: 1, status: "FINAL", accountCount: 1 },
    ]);
    const bad = await anonymous.graphql(EPOCHS, { first: 5, after: "nope" });
    expect(bad.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("answers null for an address nothing was settled to, and an error for a non-address", async () => {
    const none = await client.graphql(CLAIM_PROOF, { address: `0x${"ab".repeat(20)}` });
    expect(none.body).toEqual({ data: { claimProof: null } });
    const bad = await client.graphql(CLAIM_PROOF, { address: "0x12" });
    expect(bad.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("relays the viewer's claim once, and refuses strangers, other addresses and empty claims", async () => {
    const anonymous = new TestClient(server.url);
    expect(
      (
        await anonymous.graphql<{ relayClaim: { __typename: string } }>(RELAY, {
          address: wallet.address,
        })
      ).body.data!.relayClaim.__typename,
    ).toBe("NotSignedInError");
    const other = await client.graphql<{ relayClaim: { __typename: string } }>(RELAY, {
      address: devWallet(6).address,
    });
    expect(other.body.data!.relayClaim.__typename).toBe("NotFoundError");
    const invalid = await client.graphql<{ relayClaim: { __typename: string } }>(RELAY, {
      address: "not an address",
    });
    expect(invalid.body.data!.relayClaim.__typename).toBe("ValidationError");

    const before = await chain.tokenBalance(wallet.address);
    const relayed = await client.graphql<{
      relayClaim: { __typename: string; txHash: `0x${string}`; isReplay: boolean };
    }>(RELAY, { address: wallet.address });
    expect(relayed.body.data!.relayClaim).toMatchObject({
      __typename: "RelayedClaim",
      isReplay: false,
    });
    await testChain.deployer.publicClient.waitForTransactionReceipt({
      hash: relayed.body.data!.relayClaim.txHash,
    });
    expect(await chain.tokenBalance(wallet.address)).toBeGreaterThan(before);
    // The relayed claim counts as claimed at once on a chain that mines immediately.
    const after = await client.graphql<{
      viewer: { settlement: { totalClaimable: string; totalClaimed: string } };
    }>(MY_SETTLEMENT);
    expect(after.body.data!.viewer.settlement).toMatchObject({ totalClaimable: "0" });
    expect(BigInt(after.body.data!.viewer.settlement.totalClaimed)).toBeGreaterThan(0n);
    const again = await client.graphql<{ relayClaim: { __typename: string } }>(RELAY, {
      address: wallet.address,
    });
    expect(again.body.data!.relayClaim.__typename).toBe("NothingToClaimError");
  });
});

describe("a server that settles on no chain", () => {
  it("says so when asked to relay a claim", async () => {
    const [backend] = testBackends();
    const server = await startTestServer(backend!);
    try {
      const client = new TestClient(server.url);
      await signUpAndSignInByGraphQL(client, newAccountInput());
      const { body } = await client.graphql<{ relayClaim: { __typename: string } }>(RELAY, {
        address: devWallet(7).address,
      });
      expect(body.data!.relayClaim.__typename).toBe("ChainUnavailableError");
    } finally {
      await server.close();
    }
  });
});
