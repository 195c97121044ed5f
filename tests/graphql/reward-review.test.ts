import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
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

const QUEUE = /* GraphQL */ `
  query {
    rewardReviewQueueSize
    rewardReviewQueue(first: 100) {
      edges {
        node {
          id
          kind
          status
          reason {
            code
            message
          }
          signals {
            code
            message
            clearedAt
          }
          owner {
            handle
          }
        }
      }
    }
  }
`;

const DECIDE = /* GraphQL */ `
  mutation Decide($rewardId: ID!, $approve: Boolean!, $reason: String!) {
    decideHeldReward(rewardId: $rewardId, approve: $approve, reason: $reason) {
      __typename
      ... on RewardReviewPayload {
        reward {
          status
          reason {
            code
            message
          }
        }
        decision {
          decision
          reason
          decidedBy {
            handle
          }
        }
      }
      ... on Error {
        message
      }
    }
  }
`;

const ACTIVATION = /* GraphQL */ `
  query {
    viewer {
      activation {
        isActivated
        missing {
          step
          description
        }
      }
    }
  }
`;

type Member = { client: TestClient; userId: UserId; handle: string };

async function member(
  server: TestServer,
  options: { isAdmin?: boolean; isEstablished?: boolean } = {},
): Promise<Member> {
  const { user, password } = await createUser(server.db);
  const monthAgo = new Date(Date.now() - 30 * 86_400_000);
  await server.db
    .updateTable("users")
    .set({
      is_admin: options.isAdmin ?? false,
      ...(options.isEstablished
        ? { created_at: monthAgo, email_verified_at: monthAgo, activated_at: monthAgo }
        : {}),
    })
    .where("id", "=", user.id)
    .execute();
  const client = new TestClient(server.url);
  const { body } = await client.graphql<{ signIn: { __typename: string } }>(SIGN_IN, {
    input: { email: user.email, password },
  });
  if (body.data?.signIn.__typename !== "AuthPayload") throw new Error(JSON.stringify(body));
  return { client, userId: user.id, handle: user.handle };
}

type QueueNode = {
  id: string;
  kind: string;
  status: string;
  reason: { code: string; message: string };
  signals: { code: string; message: string; clearedAt: string | null }[];
  owner: { handle: string };
};

describe.each(testBackends())("GraphQL review queue on %s", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  /** A reward held because a non-activated account followed an established one. */
  async function heldFollowReward(): Promise<{ owner: Member; rewardKey: string }> {
    const owner = await member(server, { isEstablished: true });
    const follower = await member(server);
    const followed = await server.services.rewards.reward({
      actionKind: "follow.received",
      userId: owner.userId,
      causeId: `${owner.userId}:${follower.userId}`,
      targetKey: follower.userId,
      engagerId: follower.userId,
      memo: `${follower.handle} followed you`,
    });
    if (!followed.ok || followed.value.status !== "held") throw new Error("not held");
    return { owner, rewardKey: followed.value.key };
  }

  async function queue(client: TestClient) {
    const { body } = await client.graphql<{
      rewardReviewQueueSize: number;
      rewardReviewQueue: { edges: { node: QueueNode }[] };
    }>(QUEUE);
    return body;
  }

  it("an admin sees held rewards with their signals, approves one and reverses another, and the owners read why", async () => {
    const boss = await member(server, { isAdmin: true, isEstablished: true });
    const first = await heldFollowReward();
    const second = await heldFollowReward();
    const body = await queue(boss.client);
    expect(body.errors).toBeUndefined();
    const nodes = body.data!.rewardReviewQueue.edges.map((e) => e.node);
    const mine = nodes.filter((n) =>
      [first.owner.handle, second.owner.handle].includes(n.owner.handle),
    );
    expect(mine).toHaveLength(2);
    expect(mine[0]).toMatchObject({
      kind: "follow.received",
      status: "HELD",
      reason: { code: "risk_review" },
      signals: [{ code: "engager_not_activated", clearedAt: null }],
    });
    expect(mine[0]!.reason.message).toBe(mine[0]!.signals[0]!.message);
    expect(body.data!.rewardReviewQueueSize).toBeGreaterThanOrEqual(2);

    const approved = await boss.client.graphql<{ decideHeldReward: Record<string, unknown> }>(
      DECIDE,
      {
        rewardId: mine[0]!.id,
        approve: true,
        reason: "Their friend, checked",
      },
    );
    expect(approved.body.data?.decideHeldReward).toEqual({
      __typename: "RewardReviewPayload",
      reward: {
        status: "AVAILABLE",
        reason: { code: "review_approved", message: "Approved by review: Their friend, checked" },
      },
      decision: {
        decision: "APPROVED",
        reason: "Their friend, checked",
        decidedBy: { handle: boss.handle },
      },
    });
    const reversed = await boss.client.graphql<{ decideHeldReward: Record<string, unknown> }>(
      DECIDE,
      {
        rewardId: mine[1]!.id,
        approve: false,
        reason: "A bought follower",
      },
    );
    expect(reversed.body.data?.decideHeldReward).toMatchObject({
      reward: { status: "REVERSED", reason: { code: "admin_reversed" } },
    });
    const again = await boss.client.graphql<{ decideHeldReward: Record<string, unknown> }>(DECIDE, {
      rewardId: mine[1]!.id,
      approve: true,
      reason: "Changed my mind",
    });
    expect(again.body.data?.decideHeldReward).toMatchObject({
      __typename: "NotInReviewQueueError",
    });

    const after = await queue(boss.client);
    const left = after.data!.rewardReviewQueue.edges.map((e) => e.node.id);
    expect(left).not.toContain(mine[0]!.id);
    expect(left).not.toContain(mine[1]!.id);

    const owners = [first.owner, second.owner];
    const notified = await Promise.all(
      owners.map(async (o) => {
        const { body: n } = await o.client.graphql<{
          viewer: { notifications: { edges: { node: { kind: string } }[] } };
        }>(/* GraphQL */ `
          query {
            viewer {
              notifications(first: 10) {
                edges {
                  node {
                    kind
                  }
                }
              }
            }
          }
        `);
        return n.data?.viewer.notifications.edges.map((e) => e.node.kind);
      }),
    );
    expect(notified.flat().filter((k) => k === "REWARD_REVIEW")).toHaveLength(2);
  });

  it("members are refused the queue and its decisions; a blank reason is a field error", async () => {
    const { rewardKey } = await heldFollowReward();
    const someone = await member(server);
    const denied = await queue(someone.client);
    expect(denied.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const reward = await server.db
      .selectFrom("rewards")
      .select("id")
      .where("idempotency_key", "=", rewardKey)
      .executeTakeFirstOrThrow();
    const globalId = Buffer.from(`Reward:${reward.id}`).toString("base64");
    const refused = await someone.client.graphql<{ decideHeldReward: Record<string, unknown> }>(
      DECIDE,
      { rewardId: globalId, approve: true, reason: "Looks fine to me" },
    );
    expect(refused.body.data?.decideHeldReward).toEqual({
      __typename: "ForbiddenError",
      message: "Only admins can work the review queue.",
    });
    const boss = await member(server, { isAdmin: true });
    const blank = await boss.client.graphql<{ decideHeldReward: Record<string, unknown> }>(DECIDE, {
      rewardId: globalId,
      approve: true,
      reason: " ",
    });
    expect(blank.body.data?.decideHeldReward).toMatchObject({ __typename: "ValidationError" });
    const still = await server.db
      .selectFrom("rewards")
      .select("status")
      .where("id", "=", reward.id)
      .executeTakeFirstOrThrow();
    expect(still.status).toBe("held");
  });

  it("a newcomer reads what activation still needs; an established member has nothing missing", async () => {
    const fresh = await member(server);
    const { body } = await fresh.client.graphql<{
      viewer: { activation: { isActivated: boolean; missing: { step: string }[] } };
    }>(ACTIVATION);
    expect(body.data?.viewer.activation).toMatchObject({
      isActivated: false,
      missing: [{ step: "VERIFY_EMAIL" }, { step: "ESTABLISHED_ENGAGEMENT" }],
    });
    const elder = await member(server, { isEstablished: true });
    const { body: elderBody } = await elder.client.graphql<{
      viewer: { activation: { isActivated: boolean; missing: unknown[] } };
    }>(ACTIVATION);
    expect(elderBody.data?.viewer.activation).toEqual({ isActivated: true, missing: [] });
  });
});
