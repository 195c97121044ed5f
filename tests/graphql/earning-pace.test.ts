import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getEarningPace } from "#core/wallet/earning-pace.ts";
import { parseMicro } from "#shared/money.ts";
import { TestClient } from "#tests/support/http-client.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";
import { gql, newPerson } from "./social-fixtures.ts";

const EARNING_PACE = /* GraphQL */ `
  query EarningPace {
    viewer {
      earningPace {
        today
        thisWeek
        yearAtPace
        byStream {
          stream
          label
          today
          thisWeek
        }
        daily {
          day
          amount
        }
        asOf
      }
    }
  }
`;

const REFERENCE_VALUE = /* GraphQL */ `
  query {
    referenceValue {
      currency
      ratePerMicro
      isDemo
    }
  }
`;

type Pace = {
  today: string;
  thisWeek: string;
  yearAtPace: string;
  byStream: { stream: string; label: string; today: string; thisWeek: string }[];
  daily: { day: string; amount: string }[];
  asOf: string;
};

describe.each(testBackends())("earning pace and reference value over GraphQL on %s", (backend) => {
  let testDb: TestDb;
  let server: TestServer;
  beforeAll(async () => {
    testDb = await openTestDb(backend);
    server = await startTestServer(backend, {}, { sharedDb: testDb });
  });
  afterAll(async () => {
    await server.close();
    await testDb.close();
  });

  it("gives the viewer the pace core computes, bonuses left out of the year", async () => {
    const person = await newPerson(server);
    for (const [actionKind, causeId] of [
      ["post.created", "gql-pace-post"],
      ["account.welcome", "gql-pace-welcome"],
    ] as const) {
      const paid = await server.services.rewards.reward({
        actionKind,
        userId: person.user.id,
        causeId: `${causeId}:${person.user.id}`,
        memo: actionKind,
      });
      expect(paid.ok && paid.value.status).not.toBe("refused");
    }

    const { earningPace } = (
      await gql<{ viewer: { earningPace: Pace } }>(person.client, EARNING_PACE)
    ).viewer;
    const core = await getEarningPace(server.db, person.user.id);
    expect(earningPace.today).toBe(core.today.toString());
    expect(earningPace.thisWeek).toBe((parseMicro("0.005") + parseMicro("1")).toString());
    expect(earningPace.yearAtPace).toBe(((parseMicro("0.005") * 365n) / 7n).toString());
    expect(earningPace.byStream).toEqual([
      {
        stream: "SOCIAL",
        label: "Social",
        today: "5000000000000000",
        thisWeek: "5000000000000000",
      },
      { stream: "GAMES", label: "Games", today: "0", thisWeek: "0" },
      { stream: "DAILY", label: "Daily habits", today: "0", thisWeek: "0" },
      {
        stream: "BONUS",
        label: "Bonuses",
        today: parseMicro("1").toString(),
        thisWeek: parseMicro("1").toString(),
      },
    ]);
    expect(earningPace.daily.map((d) => d.day)).toEqual(core.daily.map((d) => d.day));
    expect(earningPace.daily.at(-1)!.amount).toBe(core.today.toString());
  });

  it("is private: another user's pace is forbidden, and signed out there is no viewer", async () => {
    const owner = await newPerson(server);
    const other = await newPerson(server);
    const { body } = await other.client.graphql<{ user: { earningPace: null } | null }>(
      /* GraphQL */ `
        query ($handle: String!) {
          user(handle: $handle) {
            earningPace {
              today
            }
          }
        }
      `,
      { handle: owner.user.handle },
    );
    expect(body.data?.user).toEqual({ earningPace: null });
    expect(body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    const signedOut = await gql<{ viewer: null }>(new TestClient(server.url), EARNING_PACE);
    expect(signedOut.viewer).toBeNull();
  });

  it("has no reference value unless one is configured", async () => {
    const data = await gql<{ referenceValue: null }>(new TestClient(server.url), REFERENCE_VALUE);
    expect(data.referenceValue).toBeNull();
  });

  it("tells anyone the operator's reference rate, as a decimal string and not a demo", async () => {
    const priced = await startTestServer(
      backend,
      { REFERENCE_RATE: "0.0125", REFERENCE_CURRENCY: "EUR" },
      { sharedDb: testDb },
    );
    try {
      const data = await gql<{ referenceValue: unknown }>(
        new TestClient(priced.url),
        REFERENCE_VALUE,
      );
      expect(data.referenceValue).toEqual({
        currency: "EUR",
        ratePerMicro: "0.0125",
        isDemo: false,
      });
    } finally {
      await priced.close();
    }
  });
});
