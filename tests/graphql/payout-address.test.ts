import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newAccountInput } from "#tests/support/factories.ts";
import { TestClient } from "#tests/support/http-client.ts";
import { signUpAndSignInByGraphQL } from "#tests/support/sign-up-flows.ts";
import { startSmtpInbox, type SmtpInbox } from "#tests/support/smtp-inbox.ts";
import { testBackends } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

const SET_PAYOUT_ADDRESS = /* GraphQL */ `
  mutation SetPayoutAddress($address: String!, $password: String!) {
    setPayoutAddress(address: $address, password: $password) {
      __typename
      ... on LinkWalletPayload {
        isUnchanged
        wallet {
          address
          kind
          chainId
          linkedAt
          receivesFrom
          isActive
        }
        replaced {
          address
        }
      }
      ... on Error {
        message
      }
      ... on ValidationError {
        fieldErrors {
          field
          messages
        }
      }
    }
  }
`;

const VIEWER_WALLET = /* GraphQL */ `
  {
    viewer {
      linkedWallet {
        address
        kind
        receivesFrom
      }
    }
  }
`;

type Result = { __typename: string; message?: string } & Record<string, unknown>;

// Two addresses anyone can make: a valid EIP-55 one, and the same with one letter's case flipped.
const ADDRESS = "0x52908400098527886E0F7030069857D2E4169EE7";
const BAD_CHECKSUM = "0x52908400098527886e0F7030069857D2E4169EE7";
const COOLING_OFF_SECONDS = 3600;

describe.each(testBackends())("GraphQL payout addresses on %s", (backend) => {
  let server: TestServer;
  let inbox: SmtpInbox;
  beforeAll(async () => {
    inbox = await startSmtpInbox();
    server = await startTestServer(backend, {
      SMTP_URL: inbox.url,
      PAYOUT_ADDRESS_COOLING_OFF_SECONDS: String(COOLING_OFF_SECONDS),
    });
  });
  afterAll(async () => {
    await server?.close();
    await inbox?.close();
  });

  async function signedUp() {
    const client = new TestClient(server.url);
    const input = newAccountInput();
    await signUpAndSignInByGraphQL(client, input);
    return { client, input };
  }

  async function setAddress(client: TestClient, address: string, password: string) {
    const { body } = await client.graphql<{ setPayoutAddress: Result }>(SET_PAYOUT_ADDRESS, {
      address,
      password,
    });
    if (!body.data) throw new Error(JSON.stringify(body));
    return body.data.setPayoutAddress;
  }

  it("sets a pasted address with the password: checksummed, PASTED, receiving after the cooling-off, and mailed", async () => {
    const { client, input } = await signedUp();
    const result = await setAddress(client, ADDRESS.toLowerCase(), input.password);
    expect(result).toMatchObject({
      __typename: "LinkWalletPayload",
      isUnchanged: false,
      replaced: null,
      wallet: { address: ADDRESS, kind: "PASTED", chainId: null, isActive: true },
    });
    const wallet = result.wallet as { linkedAt: string; receivesFrom: string };
    expect(Date.parse(wallet.receivesFrom) - Date.parse(wallet.linkedAt)).toBe(
      COOLING_OFF_SECONDS * 1000,
    );
    const viewer = await client.graphql<{ viewer: { linkedWallet: unknown } }>(VIEWER_WALLET);
    expect(viewer.body.data?.viewer.linkedWallet).toEqual({
      address: ADDRESS,
      kind: "PASTED",
      receivesFrom: wallet.receivesFrom,
    });
    // Sign-up's verification mail came first; the payout mail follows.
    await expect
      .poll(() =>
        inbox
          .messagesTo(input.email)
          .some((mail) => mail.text.includes(`A payout address ${ADDRESS} was added`)),
      )
      .toBe(true);
  });

  it("answers typed errors: a bad checksum, a wrong password, another account's address, and no session", async () => {
    const { client, input } = await signedUp();
    expect(await setAddress(client, BAD_CHECKSUM, input.password)).toMatchObject({
      __typename: "ValidationError",
      fieldErrors: [{ field: "address", messages: [expect.stringContaining("checksum")] }],
    });
    expect(await setAddress(client, ADDRESS, "not my password")).toMatchObject({
      __typename: "WrongPasswordError",
      message: "That is not your current password.",
    });
    const other = await signedUp();
    const mine = "0x" + "ab".repeat(20);
    expect((await setAddress(other.client, mine, other.input.password)).__typename).toBe(
      "LinkWalletPayload",
    );
    expect(
      await setAddress(client, mine.toUpperCase().replace("0X", "0x"), input.password),
    ).toMatchObject({
      __typename: "AddressAlreadyLinkedError",
    });
    const viewer = await client.graphql<{ viewer: { linkedWallet: unknown } }>(VIEWER_WALLET);
    expect(viewer.body.data?.viewer.linkedWallet).toBeNull();

    const anonymous = new TestClient(server.url);
    expect(await setAddress(anonymous, ADDRESS, "whatever")).toMatchObject({
      __typename: "NotSignedInError",
    });
  });
});
