import type { PrivateKeyAccount } from "viem/accounts";
import { expect } from "vitest";
import { signedSiweMessage } from "./ethereum-provider.ts";
import type { TestClient } from "./http-client.ts";
import type { TestServer } from "./test-server.ts";

/** What a page's wallet script does: fetch a nonce from `endpoint`, write the message, sign it. */
export async function signFor(
  client: TestClient,
  endpoint: string,
  account: PrivateKeyAccount,
  server: TestServer,
) {
  const response = await client.postForm(endpoint, { intent: "nonce" });
  expect(response.status).toBe(200);
  const nonce = (await response.json()) as { nonce: string; expiresAt: string; statement: string };
  return signedSiweMessage(account, {
    domain: new URL(server.url).host,
    uri: server.url,
    nonce: nonce.nonce,
    statement: nonce.statement,
    issuedAt: new Date(),
    expirationTime: new Date(nonce.expiresAt),
  });
}
