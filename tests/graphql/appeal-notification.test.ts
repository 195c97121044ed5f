import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appealReward } from "#core/rewards/reward.service.ts";
import { createPost } from "#core/social/posts.ts";
import { createUser } from "#tests/support/factories.ts";
import { TestClient } from "#tests/support/http-client.ts";
import { testBackends } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

const SIGN_IN = /* GraphQL */ `
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) {
      __typename
    }
  }
`;

const DECIDE = /* GraphQL */ `
  mutation Decide($rewardId: ID!, $approve: Boolean!, $reason: String!) {
    decideAppeal(rewardId: $rewardId, approve: $approve, reason: $reason) {
      __typename
    }
  }
`;

const NOTIFICATIONS = /* GraphQL */ `
  query {
    viewer {
      unreadNotificationCount
      notifications(first: 20) {
        edges {
          node {
            kind
            actor {
              handle
            }
            reward {
              amount
              status
              appeal {
                status
                decisionReason
              }
            }
          }
        }
      }
    }
  }
`;

type NotificationNode = {
  kind: string;
  actor: { handle: string };
  reward: {
    amount: string;
    status: string;
    appeal: { status: string; decisionReason: string | null } | null;
  } | null;
};

describe.each(testBackends())("a decided appeal over GraphQL on %s", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  async function signedIn(options: { isAdmin?: boolean } = {}) {
    const { user, password } = await createUser(server.db);
    if (options.isAdmin) {
      await server.db
        .updateTable("users")
        .set({ is_admin: true, activated_at: new Date() })
        .where("id", "=", user.id)
        .execute();
    }
    const client = new TestClient(server.url);
    const { body } = await client.graphql<{ signIn: { __typename: string } }>(SIGN_IN, {
      input: { email: user.email, password },
    });
    expect(body.data?.signIn.__typename).toBe("AuthPayload");
    return { client, user };
  }

  it("the member's notifications carry one REWARD_APPEAL with the amount, the outcome and the reason", async () => {
    const admin = await signedIn({ isAdmin: true });
    const member = await signedIn();
    const posted = await createPost(server.services, member.user.id, { body: "Hi, new here" });
    if (!posted.ok) throw new Error(posted.error.message);
    const reward = posted.value.reward!;
    expect((await appealReward(server.db, member.user.id, reward.rewardId, "I am real")).ok).toBe(
      true,
    );
    const rewardId = Buffer.from(`Reward:${reward.rewardId}`).toString("base64");
    const decide = () =>
      admin.client.graphql<{ decideAppeal: { __typename: string } }>(DECIDE, {
        rewardId,
        approve: true,
        reason: "Looks like a real person",
      });
    expect((await decide()).body.data?.decideAppeal.__typename).toBe("AppealPayload");
    expect((await decide()).body.data?.decideAppeal.__typename).toBe("AlreadyDecidedError");

    const { body } = await member.client.graphql<{
      viewer: {
        unreadNotificationCount: number;
        notifications: { edges: { node: NotificationNode }[] };
      };
    }>(NOTIFICATIONS);
    expect(body.errors).toBeUndefined();
    const decided = body
      .data!.viewer.notifications.edges.map((e) => e.node)
      .filter((n) => n.kind === "REWARD_APPEAL");
    expect(decided).toEqual([
      {
        kind: "REWARD_APPEAL",
        actor: { handle: admin.user.handle },
        reward: {
          amount: reward.amount.toString(),
          status: "AVAILABLE",
          appeal: { status: "APPROVED", decisionReason: "Looks like a real person" },
        },
      },
    ]);
  });
});
