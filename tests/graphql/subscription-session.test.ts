import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import { newAccountInput } from "#tests/support/factories.ts";
import { signUpAndSignInByGraphQL } from "#tests/support/sign-up-flows.ts";
import { readEventStream } from "#tests/support/event-stream.ts";
import { TestClient } from "#tests/support/http-client.ts";
import { testBackends } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

describe.each(testBackends())("reward stream and its session on %s", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  it("a stream ends, delivering nothing more, once its session is signed out elsewhere", async () => {
    const browser = new TestClient(server.url);
    const input = newAccountInput();
    expect((await signUpAndSignInByGraphQL(browser, input)).id).toBeTruthy();
    const laptop = new TestClient(server.url);
    await laptop.graphql(
      `mutation ($input: SignInInput!) { signIn(input: $input) { __typename } }`,
      { input: { email: input.email, password: input.password } },
    );
    const userId = (
      await server.db
        .selectFrom("users")
        .select("id")
        .where("handle", "=", input.handle)
        .executeTakeFirstOrThrow()
    ).id as UserId;

    const controller = new AbortController();
    const query = "subscription { rewardLanded { memo } }";
    const response = await fetch(`${server.url}/graphql?query=${encodeURIComponent(query)}`, {
      headers: { accept: "text/event-stream", cookie: browser.sessionCookie! },
      signal: controller.signal,
    });
    const stream = readEventStream(response);
    try {
      await stream.readUntil(/^:\n\n/);
      const reward = (causeId: string, memo: string) =>
        server.services.rewards.reward({ actionKind: "post.created", userId, causeId, memo });
      await reward("while-signed-in", "While signed in");
      await stream.readUntil(/While signed in/);

      await laptop.graphql(`mutation { signOutEverywhere { __typename } }`);
      await reward("after-sign-out", "After sign-out");
      await stream.readUntil(/event: complete/);
      expect(stream.text).not.toContain("After sign-out");
    } finally {
      controller.abort();
    }
  });
});
