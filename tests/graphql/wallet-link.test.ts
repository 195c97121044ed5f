import type { PrivateKeyAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedSiweMessage, testAccount } from "#tests/support/ethereum-provider.ts";
import { newAccountInput } from "#tests/support/factories.ts";
import { TestClient } from "#tests/support/http-client.ts";
import { signUpAndSignInByGraphQL } from "#tests/support/sign-up-flows.ts";
import { testBackends } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

const SIWE_NONCE = /* GraphQL */ `
  mutation SiweNonce($purpose: SiwePurpose!) {
    siweNonce(purpose: $purpose) {
      __typename
      ... on SiweNonce {
        nonce
        purpose
        domain
        uri
        chainId
        statement
        version
        issuedAt
        expiresAt
      }
      ... on Error {
        message
      }
    }
  }
`;

const LINK_WALLET = /* GraphQL */ `
  mutation LinkWallet($message: String!, $signature: String!) {
    linkWallet(message: $message, signature: $signature) {
      __typename
      ... on LinkWalletPayload {
        isUnchanged
        wallet {
          address
          chainId
          isActive
        }
        replaced {
          address
        }
        user {
          handle
        }
      }
      ... on Error {
        message
      }
      ... on SiweMessageError {
        code
      }
    }
  }
`;

const UNLINK_WALLET = /* GraphQL */ `
  mutation {
    unlinkWallet {
      __typename
      ... on UnlinkWalletPayload {
        unlinked {
          address
          isActive
          unlinkedAt
        }
      }
      ... on Error {
        message
      }
    }
  }
`;

const SIGN_IN_WITH_ETHEREUM = /* GraphQL */ `
  mutation SignInWithEthereum($message: String!, $signature: String!) {
    signInWithEthereum(message: $message, signature: $signature) {
      __typename
      ... on AuthPayload {
        sessionExpiresAt
        user {
          handle
        }
      }
      ... on Error {
        message
      }
      ... on SiweMessageError {
        code
      }
    }
  }
`;

const VIEWER_WALLET = /* GraphQL */ `
  {
    viewer {
      handle
      linkedWallet {
        address
        linkedAt
      }
      walletLinkHistory {
        address
        isActive
        linkedAt
        unlinkedAt
      }
    }
  }
`;

type Nonce = {
  __typename: "SiweNonce";
  nonce: string;
  purpose: "LINK" | "SIGN_IN";
  domain: string;
  uri: string;
  chainId: number;
  statement: string;
  version: string;
  issuedAt: string;
  expiresAt: string;
};
type Result = { __typename: string; message?: string; code?: string } & Record<string, unknown>;

async function signedUpClient(server: TestServer) {
  const client = new TestClient(server.url);
  const input = newAccountInput();
  await signUpAndSignInByGraphQL(client, input);
  return { client, handle: input.handle };
}

async function requestNonce(client: TestClient, purpose: "LINK" | "SIGN_IN"): Promise<Nonce> {
  const { body } = await client.graphql<{ siweNonce: Nonce }>(SIWE_NONCE, { purpose });
  if (body.data?.siweNonce.__typename !== "SiweNonce") throw new Error(JSON.stringify(body));
  return body.data.siweNonce;
}

/** Writes the message from the nonce's hints, as a client would, and signs it. */
function sign(
  account: PrivateKeyAccount,
  nonce: Nonce,
  overrides: { domain?: string; signer?: PrivateKeyAccount } = {},
) {
  return signedSiweMessage(
    account,
    {
      domain: overrides.domain ?? nonce.domain,
      uri: nonce.uri,
      nonce: nonce.nonce,
      chainId: nonce.chainId,
      statement: nonce.statement,
      issuedAt: new Date(),
      expirationTime: new Date(nonce.expiresAt),
    },
    overrides.signer,
  );
}

async function link(client: TestClient, signed: { message: string; signature: string }) {
  const { body } = await client.graphql<{ linkWallet: Result }>(LINK_WALLET, signed);
  if (!body.data) throw new Error(JSON.stringify(body));
  return body.data.linkWallet;
}

async function signInWithEthereum(
  client: TestClient,
  signed: { message: string; signature: string },
) {
  const { body } = await client.graphql<{ signInWithEthereum: Result }>(
    SIGN_IN_WITH_ETHEREUM,
    signed,
  );
  if (!body.data) throw new Error(JSON.stringify(body));
  return body.data.signInWithEthereum;
}

describe.each(testBackends())("GraphQL wallet linking on %s", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  it("issues nonces bound to this server's host and origin; LINK needs a session", async () => {
    const anonymous = new TestClient(server.url);
    const refused = await anonymous.graphql<{ siweNonce: Result }>(SIWE_NONCE, {
      purpose: "LINK",
    });
    expect(refused.body.data?.siweNonce).toEqual({
      __typename: "NotSignedInError",
      message: "Sign in first.",
    });

    const signIn = await requestNonce(anonymous, "SIGN_IN");
    expect(signIn).toMatchObject({
      purpose: "SIGN_IN",
      domain: new URL(server.url).host,
      uri: server.url,
      version: "1",
      statement: "Sign in to Tributary with this Ethereum address.",
    });
    expect(Date.parse(signIn.expiresAt) - Date.parse(signIn.issuedAt)).toBe(10 * 60_000);

    const { client } = await signedUpClient(server);
    const forLink = await requestNonce(client, "LINK");
    expect(forLink.purpose).toBe("LINK");
    expect(forLink.nonce).not.toBe(signIn.nonce);
  });

  it("does not take the host from X-Forwarded-Host unless TRUST_PROXY is set", async () => {
    const client = new TestClient(server.url);
    const { body } = await client.graphql<{ siweNonce: Nonce }>(SIWE_NONCE, {
      purpose: "SIGN_IN",
    });
    const response = await client.request("/graphql", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-forwarded-host": "tributary.evil",
        "x-forwarded-proto": "https",
      },
      body: JSON.stringify({ query: SIWE_NONCE, variables: { purpose: "SIGN_IN" } }),
    });
    const spoofed = (await response.json()).data.siweNonce as Nonce;
    expect(spoofed.domain).toBe(body.data?.siweNonce.domain);
    expect(spoofed.uri).toBe(server.url);
  });

  it("links a wallet, shows it on the viewer, and keeps history across relinking and unlinking", async () => {
    const { client, handle } = await signedUpClient(server);
    const first = testAccount(`graphql-first-${backend}`);
    const second = testAccount(`graphql-second-${backend}`);

    const linked = await link(client, await sign(first, await requestNonce(client, "LINK")));
    expect(linked).toEqual({
      __typename: "LinkWalletPayload",
      isUnchanged: false,
      wallet: { address: first.address, chainId: 1, isActive: true },
      replaced: null,
      user: { handle },
    });
    const viewer = (await client.graphql<{ viewer: Record<string, unknown> }>(VIEWER_WALLET)).body
      .data?.viewer;
    expect(viewer?.linkedWallet).toMatchObject({ address: first.address });

    const relinked = await link(client, await sign(second, await requestNonce(client, "LINK")));
    expect(relinked).toMatchObject({
      __typename: "LinkWalletPayload",
      wallet: { address: second.address },
      replaced: { address: first.address },
    });

    const unlinked = await client.graphql<{ unlinkWallet: Result }>(UNLINK_WALLET);
    expect(unlinked.body.data?.unlinkWallet).toMatchObject({
      __typename: "UnlinkWalletPayload",
      unlinked: { address: second.address, isActive: false },
    });
    const again = await client.graphql<{ unlinkWallet: Result }>(UNLINK_WALLET);
    expect(again.body.data?.unlinkWallet).toEqual({
      __typename: "NoLinkedWalletError",
      message: "No wallet is linked to your account.",
    });

    const after = (
      await client.graphql<{
        viewer: {
          linkedWallet: unknown;
          walletLinkHistory: { address: string; isActive: boolean; unlinkedAt: string | null }[];
        };
      }>(VIEWER_WALLET)
    ).body.data?.viewer;
    expect(after?.linkedWallet).toBeNull();
    expect(after?.walletLinkHistory.map((l) => [l.address, l.isActive])).toEqual([
      [second.address, false],
      [first.address, false],
    ]);
    expect(after?.walletLinkHistory.every((l) => l.unlinkedAt !== null)).toBe(true);
  });

  it("answers replays, other signers, other sites and taken addresses with typed errors", async () => {
    const { client } = await signedUpClient(server);
    const account = testAccount(`graphql-errors-${backend}`);
    const signed = await sign(account, await requestNonce(client, "LINK"));
    expect((await link(client, signed)).__typename).toBe("LinkWalletPayload");
    expect(await link(client, signed)).toEqual({
      __typename: "SiweMessageError",
      code: "NONCE_USED",
      message: "This message was already used — request a new one.",
    });

    const impostor = await sign(account, await requestNonce(client, "LINK"), {
      signer: testAccount("graphql-impostor"),
    });
    expect(await link(client, impostor)).toMatchObject({
      __typename: "SiweMessageError",
      code: "SIGNATURE_MISMATCH",
    });

    const phished = await sign(account, await requestNonce(client, "LINK"), {
      domain: "tributary.evil",
    });
    expect(await link(client, phished)).toMatchObject({
      __typename: "SiweMessageError",
      code: "WRONG_DOMAIN",
    });

    const { client: other } = await signedUpClient(server);
    expect(await link(other, await sign(account, await requestNonce(other, "LINK")))).toEqual({
      __typename: "AddressAlreadyLinkedError",
      message: "That address is already linked to another Tributary account.",
    });

    const anonymous = new TestClient(server.url);
    expect((await link(anonymous, signed)).__typename).toBe("NotSignedInError");
  });

  it("signs in with a linked address (setting the session cookie) and refuses an unlinked one", async () => {
    const { client, handle } = await signedUpClient(server);
    const account = testAccount(`graphql-sign-in-${backend}`);
    await link(client, await sign(account, await requestNonce(client, "LINK")));

    const browser = new TestClient(server.url);
    const signed = await sign(account, await requestNonce(browser, "SIGN_IN"));
    const result = await signInWithEthereum(browser, signed);
    expect(result).toMatchObject({ __typename: "AuthPayload", user: { handle } });
    expect(browser.sessionCookie).toMatch(/^tributary_session=[a-z2-9]{24}\.[a-z2-9]{24}$/);
    const viewer = await browser.graphql<{ viewer: { handle: string } }>(VIEWER_WALLET);
    expect(viewer.body.data?.viewer).toMatchObject({
      handle,
      linkedWallet: { address: account.address },
    });

    const replay = new TestClient(server.url);
    expect(await signInWithEthereum(replay, signed)).toMatchObject({
      __typename: "SiweMessageError",
      code: "NONCE_USED",
    });
    expect(replay.sessionCookie).toBeNull();

    const linkNonceAsSignIn = await sign(account, await requestNonce(client, "LINK"));
    expect(await signInWithEthereum(replay, linkNonceAsSignIn)).toMatchObject({
      __typename: "SiweMessageError",
      code: "WRONG_PURPOSE",
    });

    const stranger = testAccount("graphql-stranger");
    expect(
      await signInWithEthereum(replay, await sign(stranger, await requestNonce(replay, "SIGN_IN"))),
    ).toEqual({
      __typename: "NoAccountForAddressError",
      message:
        "No Tributary account is linked to that address. Sign in with your email, then link it from your wallet page.",
    });
    expect(replay.sessionCookie).toBeNull();
  });

  it("shows a user's linked wallet and history only to that user", async () => {
    const { client, handle } = await signedUpClient(server);
    const account = testAccount(`graphql-private-${backend}`);
    await link(client, await sign(account, await requestNonce(client, "LINK")));
    const query = /* GraphQL */ `
      query ($handle: String!) {
        user(handle: $handle) {
          linkedWallet {
            address
          }
          walletLinkHistory {
            address
          }
        }
      }
    `;
    const { client: other } = await signedUpClient(server);
    for (const viewer of [other, new TestClient(server.url)]) {
      const { body } = await viewer.graphql(query, { handle });
      expect(body).toEqual({ data: { user: { linkedWallet: null, walletLinkHistory: null } } });
    }
    const own = await client.graphql(query, { handle });
    expect(own.body.data).toEqual({
      user: {
        linkedWallet: { address: account.address },
        walletLinkHistory: [{ address: account.address }],
      },
    });
  });
});
