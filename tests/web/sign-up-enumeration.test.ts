import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, newAccountInput } from "#tests/support/factories.ts";
import { TestClient } from "#tests/support/http-client.ts";
import { startSmtpInbox, type SmtpInbox } from "#tests/support/smtp-inbox.ts";
import { testBackends } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

const PER_ADDRESS = 10;
const PROBES = 41;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What a prober can see of one answer: status, headers that matter, cookie names and the
 * page with what was typed (email, handle) taken out, and what differs on every response anyway (the
 * request id, CSP nonces).
 */
async function answerOf(response: Response, typed: { email: string; handle: string }) {
  const page = (await response.text())
    .replaceAll(typed.email, "<EMAIL>")
    .replaceAll(typed.handle, "<HANDLE>")
    .replace(/nonce="[^"]*"/g, 'nonce=""')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<UUID>");
  return {
    status: response.status,
    location: response.headers.get("location"),
    retryAfter: response.headers.get("retry-after"),
    cookies: response.headers.getSetCookie().map((cookie) => cookie.split("=")[0]),
    page,
  };
}

describe.each(testBackends())("sign-up probes on %s", (backend) => {
  let server: TestServer;
  let inbox: SmtpInbox;
  beforeAll(async () => {
    inbox = await startSmtpInbox();
    server = await startTestServer(backend, {
      SMTP_URL: inbox.url,
      SIGN_UP_MAX_PER_IP_PER_HOUR: String(PER_ADDRESS),
    });
  });
  afterAll(async () => {
    await server.close();
    await inbox.close();
  });

  it("41 sign-ups from one address answer the same for taken and new emails until the limit, then are refused; only owners of probed addresses hear of it", async () => {
    const owners = await Promise.all(
      Array.from({ length: Math.ceil(PROBES / 2) }, () => createUser(server.db)),
    );
    const answers: {
      isTaken: boolean;
      email: string;
      answer: Awaited<ReturnType<typeof answerOf>>;
    }[] = [];
    for (let i = 0; i < PROBES; i++) {
      const isTaken = i % 2 === 0;
      const input = isTaken
        ? newAccountInput({ email: owners[i / 2]!.user.email })
        : newAccountInput();
      // A fresh browser each time, as a prober would clear cookies: only the address counts.
      const response = await new TestClient(server.url).postForm("/signup", {
        email: input.email,
        handle: input.handle,
        password: input.password,
      });
      answers.push({ isTaken, email: input.email, answer: await answerOf(response, input) });
    }

    const accepted = answers.slice(0, PER_ADDRESS);
    const refused = answers.slice(PER_ADDRESS);
    expect(accepted[0]!.answer.status).toBe(200);
    expect(accepted[0]!.answer.page).toContain(
      'Check your inbox at <strong class="break-all"><EMAIL></strong>: open the link we sent to finish signing up (or sign in with your password).',
    );
    for (const { answer } of accepted) expect(answer).toEqual(accepted[0]!.answer);
    expect(accepted.filter((probe) => probe.isTaken)).toHaveLength(PER_ADDRESS / 2);

    expect(refused[0]!.answer.status).toBe(429);
    expect(refused[0]!.answer.page).toContain(
      "Too many sign-ups from your address in the last hour. Try again later.",
    );
    expect(Number(refused[0]!.answer.retryAfter)).toBeGreaterThan(3000);
    for (const { answer } of refused) {
      expect({ ...answer, retryAfter: null }).toEqual({ ...refused[0]!.answer, retryAfter: null });
    }
    expect(refused.some((probe) => probe.isTaken)).toBe(true);
    expect(refused.some((probe) => !probe.isTaken)).toBe(true);

    // Before the limit: owners of taken addresses are told, new addresses get their link.
    for (const probe of accepted) {
      const mail = await inbox.nextMessageTo(probe.email);
      expect(mail.subject).toBe(
        probe.isTaken
          ? "Someone tried to sign up to Tributary with your email"
          : "Confirm your email for Tributary",
      );
      if (probe.isTaken) {
        expect(mail.text).toContain("you already have an account");
        expect(mail.text).toContain(`${server.url}/signin`);
        expect(mail.text).toContain(`${server.url}/forgot-password`);
      }
    }
    // Past it: nothing is created and nobody is mailed (no mail-bombing an owner).
    const marker = await createUser(server.db);
    await new TestClient(server.url).postForm("/forgot-password", { email: marker.user.email });
    await inbox.nextMessageTo(marker.user.email);
    await sleep(200);
    for (const probe of refused) expect(inbox.messagesTo(probe.email)).toEqual([]);
    const created = await server.db
      .selectFrom("users")
      .select("email")
      .where(
        "email",
        "in",
        refused.filter((probe) => !probe.isTaken).map((probe) => probe.email),
      )
      .execute();
    expect(created).toEqual([]);
  });
});
