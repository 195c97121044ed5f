import { describe, expect, it } from "vitest";
import { createSiweMessage } from "viem/siwe";
import { parseSiweMessageText } from "#core/wallet/siwe-message.ts";
import { verifySiweMessage, type SiweExpectations } from "#core/wallet/siwe.ts";
import { writeSiweMessage, type SiweMessageInput } from "#shared/siwe-message-text.ts";
import { siweMessage, testAccount } from "#tests/support/ethereum-provider.ts";
import parsingPositive from "../core/wallet/siwe-vectors/parsing_positive.json";

const MINUTE = 60_000;
const account = testAccount("siwe message text");

function fieldsFor(site: SiweExpectations, now: Date): SiweMessageInput {
  return {
    domain: site.domain,
    address: account.address,
    statement: "Sign in to Tributary with this Ethereum address.",
    uri: site.origin,
    chainId: 1,
    nonce: "abcdefgh23456789",
    issuedAt: new Date(now.getTime() - MINUTE),
    expirationTime: new Date(now.getTime() + 10 * MINUTE),
  };
}

describe("writeSiweMessage", () => {
  it.each([
    { domain: "[::1]:3000", origin: "http://[::1]:3000" },
    { domain: "localhost:3000", origin: "http://localhost:3000" },
    { domain: "tributary.example", origin: "https://tributary.example" },
  ])("writes a message for $domain that the server reads back and verifies", async (site) => {
    const now = new Date();
    const fields = fieldsFor(site, now);
    const message = writeSiweMessage(fields);
    expect(message.startsWith(`${site.domain} wants you to sign in`)).toBe(true);
    expect(parseSiweMessageText(message)).toEqual({ ...fields, version: "1" });
    const signature = await account.signMessage({ message });
    const verified = await verifySiweMessage({ message, signature }, site, now);
    expect(verified).toMatchObject({ ok: true, value: { address: account.address, message } });
  });

  it("writes every optional field in the EIP's order, and they read back", () => {
    const now = new Date("2031-01-02T03:04:05.678Z");
    const fields: SiweMessageInput = {
      ...fieldsFor({ domain: "[2001:db8::7]:8443", origin: "https://[2001:db8::7]:8443" }, now),
      scheme: "https",
      uri: "https://[2001:db8::7]:8443/wallet",
      chainId: 8453,
      notBefore: new Date(now.getTime() - 30_000),
      requestId: "request-42",
      resources: [
        "https://[2001:db8::7]:8443/terms",
        "ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq/",
      ],
    };
    const message = writeSiweMessage(fields);
    expect(message.split("\n").map((line) => line.split(":")[0])).toEqual([
      "https",
      account.address,
      "",
      "Sign in to Tributary with this Ethereum address.",
      "",
      "URI",
      "Version",
      "Chain ID",
      "Nonce",
      "Issued At",
      "Expiration Time",
      "Not Before",
      "Request ID",
      "Resources",
      "- https",
      "- ipfs",
    ]);
    expect(parseSiweMessageText(message)).toEqual({ ...fields, version: "1" });
  });

  it("leaves two blank lines where there is no statement, as the EIP does", () => {
    const fields = {
      ...fieldsFor({ domain: "localhost:3000", origin: "http://localhost:3000" }, new Date()),
    };
    delete fields.statement;
    const message = writeSiweMessage(fields);
    expect(message).toContain(`${account.address}\n\n\nURI: http://localhost:3000\n`);
    expect(parseSiweMessageText(message)).toEqual({ ...fields, version: "1" });
  });

  it("writes spruceid's positive parsing vectors character for character", () => {
    let compared = 0;
    for (const { message, fields } of Object.values(parsingPositive)) {
      // Only vectors whose dates are in the form Date writes (with milliseconds).
      if (new Date(fields.issuedAt).toISOString() !== fields.issuedAt) continue;
      const optional = fields as { statement?: string; resources?: string[] };
      const written = writeSiweMessage({
        domain: fields.domain,
        address: fields.address as `0x${string}`,
        ...(optional.statement === undefined ? {} : { statement: optional.statement }),
        uri: fields.uri,
        chainId: Number(fields.chainId),
        nonce: fields.nonce,
        issuedAt: new Date(fields.issuedAt),
        ...(optional.resources === undefined ? {} : { resources: optional.resources }),
      });
      expect(written).toBe(message);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(6);
  });

  it("writes what viem writes wherever viem can write it", () => {
    const fields = fieldsFor(
      { domain: "localhost:3000", origin: "http://localhost:3000" },
      new Date(),
    );
    expect(writeSiweMessage(fields)).toBe(createSiweMessage({ ...fields, version: "1" }));
    // viem refuses the IPv6 host our server accepts: why we write the message ourselves.
    expect(() =>
      createSiweMessage({
        ...fields,
        domain: "[::1]:3000",
        uri: "http://[::1]:3000",
        version: "1",
      }),
    ).toThrow();
  });

  it("is what the tests' wallet writes, for an IPv6 host too", async () => {
    const site = { domain: "[::1]:3000", origin: "http://[::1]:3000" };
    const now = new Date();
    const fields = fieldsFor(site, now);
    const message = siweMessage(account, fields);
    expect(message).toBe(writeSiweMessage(fields));
    const signature = await account.signMessage({ message });
    expect(await verifySiweMessage({ message, signature }, site, now)).toMatchObject({ ok: true });
  });

  it("refuses fields that would put text on another line or break the grammar", () => {
    const fields = fieldsFor(
      { domain: "localhost:3000", origin: "http://localhost:3000" },
      new Date(),
    );
    for (const bad of [
      { statement: "Sign in\nURI: https://evil.example" },
      { statement: "Sign in\r" },
      { domain: "localhost:3000\nevil.example" },
      { uri: "http://localhost:3000\n" },
      { nonce: "short" },
      { nonce: "abcdefgh 2345" },
      { chainId: 0 },
      { chainId: 1.5 },
      { address: "0x1234" as `0x${string}` },
      { resources: ["https://a.example\n- https://b.example"] },
    ]) {
      expect(() => writeSiweMessage({ ...fields, ...bad })).toThrow(/Sign-In with Ethereum/);
    }
  });
});
