import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import { getRewardByKey } from "#core/rewards/reward-queries.ts";
import { newAccountInput } from "#tests/support/factories.ts";
import { TestClient } from "#tests/support/http-client.ts";
import { signUpAndSignInByGraphQL } from "#tests/support/sign-up-flows.ts";
import { testBackends } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

const GROUPS = /* GraphQL */ `
  query Groups {
    viewer {
      wallet {
        heldRewardGroups {
          key
          status
          reasonCode
          count
          total
          isAppealable
          unappealedCount
          openAppealCount
          earliestRelease
          rewards {
            memo
          }
        }
      }
    }
  }
`;

const APPEAL_GROUP = /* GraphQL */ `
  mutation AppealGroup($groupKey: String!, $message: String!) {
    appealRewardGroup(groupKey: $groupKey, message: $message) {
      __typename
      ... on Error {
        message
      }
      ... on AppealRewardGroupPayload {
        appealedCount
        group {
          key
          unappealedCount
          openAppealCount
        }
      }
    }
  }
`;

const HISTORY = /* GraphQL */ `
  query History($stream: RewardStream, $first: Int, $after: String) {
    viewer {
      wallet {
        history(stream: $stream, first: $first, after: $after) {
          edges {
            cursor
            node {
              memo
              stream
            }
          }
          pageInfo {
            hasNextPage
          }
        }
      }
    }
  }
`;

type Member = { client: TestClient; userId: UserId };

async function signedUp(server: TestServer): Promise<Member> {
  const client = new TestClient(server.url);
  const { handle } = await signUpAndSignInByGraphQL(client, newAccountInput());
  const row = await server.db
    .selectFrom("users")
    .select("id")
    .where("handle", "=", handle)
    .executeTakeFirstOrThrow();
  return { client, userId: row.id as UserId };
}

describe.each(testBackends())("GraphQL held reward groups and history streams on %s", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  const pay = (userId: UserId, actionKind: string, causeId: string) =>
    server.services.rewards.reward({
      actionKind,
      userId,
      causeId: `${causeId}-${userId}`,
      memo: `${actionKind} ${causeId}`,
    });

  it("a newcomer's held rewards are one group, appealed once for all of them; a retry opens nothing more", async () => {
    const { client, userId } = await signedUp(server);
    for (let i = 0; i < 3; i++) await pay(userId, "post.created", `p${i}`);
    const { body } = await client.graphql<{
      viewer: { wallet: { heldRewardGroups: unknown[] } };
    }>(GROUPS);
    expect(body.errors).toBeUndefined();
    expect(body.data!.viewer.wallet.heldRewardGroups).toEqual([
      {
        key: "held:risk_review",
        status: "HELD",
        reasonCode: "risk_review",
        count: 3,
        total: (15n * 10n ** 15n).toString(),
        isAppealable: true,
        unappealedCount: 3,
        openAppealCount: 0,
        earliestRelease: null,
        rewards: [
          { memo: "post.created p2" },
          { memo: "post.created p1" },
          { memo: "post.created p0" },
        ],
      },
    ]);

    const variables = { groupKey: "held:risk_review", message: "I am a real person." };
    const first = await client.graphql<{ appealRewardGroup: unknown }>(APPEAL_GROUP, variables);
    expect(first.body.data?.appealRewardGroup).toEqual({
      __typename: "AppealRewardGroupPayload",
      appealedCount: 3,
      group: { key: "held:risk_review", unappealedCount: 0, openAppealCount: 3 },
    });
    const retry = await client.graphql<{ appealRewardGroup: unknown }>(APPEAL_GROUP, variables);
    expect(retry.body.data?.appealRewardGroup).toMatchObject({ appealedCount: 0 });
    const reward = await getRewardByKey(server.db, `post.created:p0-${userId}`);
    expect(reward!.appeal).toMatchObject({ status: "OPEN".toLowerCase() });
  });

  it("another user's group is NotFound, a short message a ValidationError, signed out NotSignedIn", async () => {
    const owner = await signedUp(server);
    const stranger = await signedUp(server);
    await pay(owner.userId, "post.created", "theirs");
    const stolen = await stranger.client.graphql<{ appealRewardGroup: unknown }>(APPEAL_GROUP, {
      groupKey: "held:risk_review",
      message: "Give it to me.",
    });
    expect(stolen.body.data?.appealRewardGroup).toEqual({
      __typename: "NotFoundError",
      message: "No such group of rewards in your wallet.",
    });
    const short = await owner.client.graphql<{ appealRewardGroup: { __typename: string } }>(
      APPEAL_GROUP,
      { groupKey: "held:risk_review", message: "hm" },
    );
    expect(short.body.data?.appealRewardGroup.__typename).toBe("ValidationError");
    const anonymous = await new TestClient(server.url).graphql<{
      appealRewardGroup: { __typename: string };
    }>(APPEAL_GROUP, { groupKey: "held:risk_review", message: "Hello there" });
    expect(anonymous.body.data?.appealRewardGroup.__typename).toBe("NotSignedInError");
    expect((await getRewardByKey(server.db, `post.created:theirs-${owner.userId}`))!.appeal).toBe(
      null,
    );
  });

  it("history takes a stream argument, filters in the database and pages within it", async () => {
    const { client, userId } = await signedUp(server);
    await pay(userId, "checkin.daily", "day");
    for (let i = 0; i < 3; i++) await pay(userId, "post.created", `h${i}`);
    type History = {
      viewer: {
        wallet: {
          history: {
            edges: { cursor: string; node: { memo: string; stream: string | null } }[];
            pageInfo: { hasNextPage: boolean };
          };
        };
      };
    };
    const daily = await client.graphql<History>(HISTORY, { stream: "DAILY" });
    expect(daily.body.data!.viewer.wallet.history.edges.map((e) => e.node)).toEqual([
      { memo: "checkin.daily day", stream: "DAILY" },
    ]);
    const social = await client.graphql<History>(HISTORY, { stream: "SOCIAL", first: 2 });
    const page = social.body.data!.viewer.wallet.history;
    expect(page.edges.map((e) => e.node.memo)).toEqual([
      "post.created h2 (on hold)",
      "post.created h1 (on hold)",
    ]);
    expect(page.pageInfo.hasNextPage).toBe(true);
    const next = await client.graphql<History>(HISTORY, {
      stream: "SOCIAL",
      first: 2,
      after: page.edges.at(-1)!.cursor,
    });
    expect(next.body.data!.viewer.wallet.history.edges.map((e) => e.node.memo)).toEqual([
      "post.created h0 (on hold)",
    ]);
    const bad = await client.graphql<History>(HISTORY, { stream: "LOTTERY" });
    expect(bad.body.errors?.[0]?.message).toContain("LOTTERY");
  });
});
