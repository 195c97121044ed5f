import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newAccountInput } from "#tests/support/factories.ts";
import { signUpAndSignInByGraphQL } from "#tests/support/sign-up-flows.ts";
import { readEventStream } from "#tests/support/event-stream.ts";
import { TestClient } from "#tests/support/http-client.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const hasPostgres = testBackends().includes("postgres");

// Several app instances share one Postgres and one Redis (DESIGN.md, Runtime). CI sets
// TEST_DATABASE_URL, so this suite always runs there; Redis must answer or it fails.
describe.skipIf(!hasPostgres)("two app instances behind one Redis", () => {
  let db: TestDb;
  let first: TestServer;
  let second: TestServer;
  beforeAll(async () => {
    db = await openTestDb("postgres");
    first = await startTestServer("postgres", { REDIS_URL: redisUrl }, { sharedDb: db });
    second = await startTestServer("postgres", { REDIS_URL: redisUrl }, { sharedDb: db });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await db?.close();
  });

  it("a reward recorded on one instance reaches a subscriber connected to the other", async () => {
    const onFirst = new TestClient(first.url);
    await signUpAndSignInByGraphQL(onFirst, newAccountInput());
    // The same session cookie works on the other instance: sessions live in Postgres.
    const onSecond = new TestClient(second.url);
    onSecond.setSessionCookie(onFirst.sessionCookie);

    const controller = new AbortController();
    const query = "subscription { rewardLanded { memo amount status } }";
    const response = await fetch(`${first.url}/graphql?query=${encodeURIComponent(query)}`, {
      headers: { accept: "text/event-stream", cookie: onFirst.sessionCookie! },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    const stream = readEventStream(response);
    try {
      await stream.readUntil(/^:\n\n/);
      const checkIn = await onSecond.graphql<{ checkIn: { __typename: string } }>(
        `mutation { checkIn { __typename } }`,
      );
      expect(checkIn.body.data?.checkIn.__typename).toBe("RewardPayload");
      await stream.readUntil(/event: next\ndata: .*Daily check-in.*\n\n/);
      expect(stream.text).toMatch(/"amount":"10000000000000000"/);
    } finally {
      controller.abort();
    }
  });
});
