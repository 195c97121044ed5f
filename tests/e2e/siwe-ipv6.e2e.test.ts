import net from "node:net";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserSuite, browserSuiteCanRun } from "#tests/support/browser.ts";
import {
  injectEthereumProvider,
  testAccount,
  type InjectedWallet,
} from "#tests/support/ethereum-provider.ts";
import { createUser } from "#tests/support/factories.ts";
import { waitForHydration } from "#tests/support/page-checks.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

/**
 * Makes the test server reachable at http://[::1]:<port>: bytes pass through untouched, so
 * the browser's Host and Origin are "[::1]:<port>", as on a server bound to IPv6 loopback.
 */
async function onIpv6Loopback(server: TestServer): Promise<TestServer> {
  const upstreamPort = Number(new URL(server.url).port);
  const sockets = new Set<net.Socket>();
  const forwarder = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, "127.0.0.1");
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => {});
      socket.on("close", () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => forwarder.listen(0, "::1", resolve));
  const { port } = forwarder.address() as net.AddressInfo;
  return {
    ...server,
    url: `http://[::1]:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => forwarder.close(resolve));
      await server.close();
    },
  };
}

function newWallet(label: string): InjectedWallet {
  return {
    account: testAccount(label),
    chainId: 1,
    signedMessages: [],
    rejectNextSignature: false,
  };
}

describe.skipIf(!browserSuiteCanRun())("Sign-In with Ethereum on an IPv6 host (Chromium)", () => {
  const suite = browserSuite(
    { width: 1280, height: 900 },
    { startServer: async () => onIpv6Loopback(await startTestServer("pglite")) },
  );

  function section(page: Page) {
    return page.getByRole("region", { name: "Linked wallet" });
  }

  it("links a wallet at http://[::1]:port and signs in with it", async () => {
    const wallet = newWallet("e2e-ipv6");
    const page = await suite.newPage();
    await injectEthereumProvider(page, wallet);
    const { user, password } = await createUser(suite.server.db);

    await page.goto(`${suite.server.url}/signin?redirectTo=%2Fwallet`);
    await waitForHydration(page);
    await page.getByLabel("Email", { exact: true }).fill(user.email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/wallet");
    await waitForHydration(page);

    await section(page).getByRole("button", { name: "Connect wallet" }).click();
    await section(page)
      .getByRole("status")
      .getByText(/^Linked 0x/)
      .waitFor();
    const host = new URL(suite.server.url).host;
    expect(host).toMatch(/^\[::1\]:\d+$/);
    expect(wallet.signedMessages).toHaveLength(1);
    expect(wallet.signedMessages[0]).toContain(
      `${host} wants you to sign in with your Ethereum account:\n${wallet.account.address}\n`,
    );
    expect(wallet.signedMessages[0]).toContain(`URI: ${suite.server.url}\n`);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("link", { name: "Sign in" }).waitFor();
    await page.goto(`${suite.server.url}/signin?redirectTo=%2Fwallet`);
    await waitForHydration(page);
    await page.getByRole("button", { name: "Sign in with Ethereum" }).click();
    await page.waitForURL((url) => url.pathname === "/wallet");
    await page.getByRole("link", { name: `@${user.handle}` }).waitFor();
    expect(wallet.signedMessages).toHaveLength(2);
  });
});
