import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "#tests/support/factories.ts";
import { readHtml, TestClient } from "#tests/support/http-client.ts";
import { startSmtpInbox, type SmtpInbox } from "#tests/support/smtp-inbox.ts";
import { testBackends } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

// EIP-55's own example, and the same with one letter's case flipped.
const ADDRESS = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359";
const BAD_CHECKSUM = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5D359";

describe.each(testBackends())(
  "pasting a payout address through the web routes on %s",
  (backend) => {
    let server: TestServer;
    let inbox: SmtpInbox;
    beforeAll(async () => {
      inbox = await startSmtpInbox();
      server = await startTestServer(backend, {
        SMTP_URL: inbox.url,
        PAYOUT_ADDRESS_COOLING_OFF_SECONDS: String(48 * 60 * 60),
      });
    });
    afterAll(async () => {
      await server?.close();
      await inbox?.close();
    });

    async function signedInClient() {
      const { user, password } = await createUser(server.db);
      const client = new TestClient(server.url);
      const response = await client.postForm("/signin", { email: user.email, password });
      if (response.status !== 302) throw new Error(`sign-in failed: ${response.status}`);
      return { client, user, password };
    }

    it("the wallet page offers the paste form without JavaScript; a pasted address shows pending with a remove button", async () => {
      const { client, user, password } = await signedInClient();
      const before = await readHtml(await client.get("/wallet"));
      expect(before).toContain("No browser wallet? Paste an address");
      expect(before).toContain('action="/wallet/payout-address"');
      expect(before).toMatch(/autocomplete="current-password"/i);

      const saved = await client.postForm("/wallet/payout-address", {
        address: ADDRESS.toLowerCase(),
        password,
      });
      expect(saved.status).toBe(302);
      expect(saved.headers.get("location")).toBe("/wallet?payout=added");

      const page = await readHtml(await client.get("/wallet?payout=added"));
      expect(page).toContain(`>${ADDRESS}</code>`);
      expect(page).toMatch(
        /Cooling off:<\/strong> receives settlements from(?:<!-- -->| )*\d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC/,
      );
      expect(page).toContain("We emailed you that it was added.");
      expect(page).toContain("Remove address");
      const mail = await inbox.nextMessageTo(user.email);
      expect(mail.text).toContain(`A payout address ${ADDRESS} was added`);

      const removed = await client.postForm("/wallet/link", { intent: "unlink" });
      expect(removed.status).toBe(302);
      const after = await readHtml(await client.get("/wallet"));
      expect(after).toContain("No wallet linked yet.");
      expect(after).toContain("Earlier addresses (1)");
    });

    it("a wrong checksum or a wrong password answers the form again with the error and changes nothing", async () => {
      const { client, password } = await signedInClient();
      const badChecksum = await client.postForm("/wallet/payout-address", {
        address: BAD_CHECKSUM,
        password,
      });
      expect(badChecksum.status).toBe(400);
      const badHtml = await readHtml(badChecksum);
      expect(badHtml).toContain("does not match its checksum");
      expect(badHtml).toContain(`value="${BAD_CHECKSUM}"`);

      const wrongPassword = await client.postForm("/wallet/payout-address", {
        address: ADDRESS,
        password: "not my password",
      });
      expect(wrongPassword.status).toBe(400);
      const wrongHtml = await readHtml(wrongPassword);
      expect(wrongHtml).toContain("That is not your current password.");
      expect(wrongHtml).not.toContain("not my password");

      expect(await readHtml(await client.get("/wallet"))).toContain("No wallet linked yet.");
    });

    it("signed out, the form's page sends you to sign in", async () => {
      const anonymous = new TestClient(server.url);
      const response = await anonymous.get("/wallet/payout-address");
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toContain(
        "/signin?redirectTo=%2Fwallet%2Fpayout-address",
      );
    });
  },
);
