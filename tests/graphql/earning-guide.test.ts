import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listRewardRules } from "#core/rewards/reward.service.ts";
import { parseMicro } from "#shared/money.ts";
import { TestClient } from "#tests/support/http-client.ts";
import { testBackends } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";
import { gql, makeAdmin, newPerson } from "./social-fixtures.ts";

const GUIDE = /* GraphQL */ `
  query EarningGuide {
    earningGuide {
      streams {
        stream
        actions {
          actionKind
          paidTo
          amount
          smallestAmount
          dailyCap
          perTargetCapWords
          holdWords
          budgetName
          isBudgetExhausted
          shares {
            id
            amount
          }
        }
      }
      games {
        gameId
        achievements {
          id
          title
          amount
        }
      }
      streakMilestones {
        label
        amount
      }
      quests {
        weekStart
        quests {
          id
          title
          amount
          isBonus
        }
      }
      budgets {
        id
        isExhausted
      }
      activation {
        allowance
        paidBeforeActivation
        steps
      }
      comingSoon
    }
  }
`;

type Guide = {
  earningGuide: {
    streams: {
      stream: string;
      actions: { actionKind: string; amount: string; shares: { id: string; amount: string }[] }[];
    }[];
    games: { gameId: string; achievements: { id: string; title: string; amount: string }[] }[];
    streakMilestones: { label: string; amount: string }[];
    quests: { quests: { id: string; amount: string }[] };
    comingSoon: string[];
  };
};

const UPDATE = /* GraphQL */ `
  mutation Update($amount: TokenAmount!) {
    updateRewardRule(actionKind: "game.achievement", amount: $amount) {
      __typename
    }
  }
`;

describe.each(testBackends())("the earningGuide query on %s", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  const achievementOf = (guide: Guide, id: string) =>
    guide.earningGuide.games.flatMap((g) => g.achievements).find((a) => a.id === id);

  it("answers a signed-out client with every live rule, its amount and what each achievement pays", async () => {
    const guide = await gql<Guide>(new TestClient(server.url), GUIDE);
    const rules = await listRewardRules(server.db);
    const actions = guide.earningGuide.streams.flatMap((s) => s.actions);
    expect(actions.map((a) => a.actionKind).sort()).toEqual(rules.map((r) => r.actionKind).sort());
    for (const rule of rules) {
      expect(actions.find((a) => a.actionKind === rule.actionKind)!.amount).toBe(
        rule.amount.toString(),
      );
    }
    expect(achievementOf(guide, "river-run:first-finish")).toMatchObject({
      title: "First finish",
      amount: parseMicro("0.01").toString(),
    });
    expect(guide.earningGuide.streakMilestones[0]!.label).toBe("3-day streak");
    expect(guide.earningGuide.comingSoon).toContain("referrals");
  });

  it("reflects an admin's edit of a rule at once", async () => {
    const admin = await newPerson(server);
    await makeAdmin(server.db, admin);
    await gql(admin.client, UPDATE, { amount: parseMicro("0.1").toString() });
    try {
      const guide = await gql<Guide>(new TestClient(server.url), GUIDE);
      expect(achievementOf(guide, "tide-tiles:first-finish")!.amount).toBe(
        parseMicro("0.02").toString(),
      );
      const games = guide.earningGuide.streams.find((s) => s.stream === "games")!.actions[0]!;
      expect(games.amount).toBe(parseMicro("0.1").toString());
      expect(games.shares.find((s) => s.id === "tide-tiles:first-finish")!.amount).toBe(
        parseMicro("0.02").toString(),
      );
    } finally {
      await gql(admin.client, UPDATE, { amount: parseMicro("0.05").toString() });
    }
  });
});
