import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import { checkInKey } from "#core/rewards/check-in.ts";
import { ensurePlatformDefaults } from "#core/rewards/platform-defaults.ts";
import { createUser, newAccountInput } from "#tests/support/factories.ts";
import { readEventStream } from "#tests/support/event-stream.ts";
import { TestClient } from "#tests/support/http-client.ts";
import { signUpAndSignInByGraphQL } from "#tests/support/sign-up-flows.ts";
import { testBackends } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

const MICRO = 10n ** 18n;
const CHECK_IN_AMOUNT = (MICRO / 100n).toString();
const POST_AMOUNT = (MICRO / 200n).toString();

const SIGN_IN = /* GraphQL */ `
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) {
      __typename
    }
  }
`;

const REWARD_FIELDS = /* GraphQL */ `
  fragment RewardFields on Reward {
    id
    kind
    status
    amount
    memo
    reason {
      code
      message
    }
    holdUntil
    isAppealable
    appeal {
      status
      message
      decisionReason
    }
  }
`;

const CHECK_IN = /* GraphQL */ `
  mutation {
    checkIn {
      __typename
      ... on RewardPayload {
        isReplay
        message
        reward {
          ...RewardFields
        }
      }
      ... on Error {
        message
      }
    }
  }
  ${REWARD_FIELDS}
`;

const WALLET = /* GraphQL */ `
  query Wallet($first: Int, $after: String) {
    viewer {
      wallet {
        available
        pending
        invested
        settled
        nextUnlockAt
        history(first: $first, after: $after) {
          edges {
            cursor
            node {
              amount
              balance
              memo
              kind
              createdAt
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
    }
  }
`;

const MY_REWARDS = /* GraphQL */ `
  query MyRewards($filter: RewardFilter) {
    viewer {
      rewards(first: 10, filter: $filter) {
        edges {
          node {
            ...RewardFields
          }
        }
      }
    }
  }
  ${REWARD_FIELDS}
`;

const APPEAL = /* GraphQL */ `
  mutation Appeal($rewardId: ID!, $message: String!) {
    appealReward(rewardId: $rewardId, message: $message) {
      __typename
      ... on AppealPayload {
        appeal {
          status
          message
        }
        reward {
          ...RewardFields
        }
      }
      ... on Error {
        message
      }
      ... on ValidationError {
        fieldErrors {
          field
          messages
        }
      }
    }
  }
  ${REWARD_FIELDS}
`;

const DECIDE = /* GraphQL */ `
  mutation Decide($rewardId: ID!, $approve: Boolean!, $reason: String!) {
    decideAppeal(rewardId: $rewardId, approve: $approve, reason: $reason) {
      __typename
      ... on AppealPayload {
        appeal {
          status
          decisionReason
        }
        reward {
          ...RewardFields
        }
      }
      ... on Error {
        message
      }
    }
  }
  ${REWARD_FIELDS}
`;

const UPDATE_RULE = /* GraphQL */ `
  mutation UpdateRule(
    $actionKind: String!
    $amount: TokenAmount
    $dailyCap: Int
    $perTargetDailyCap: Int
    $holdSeconds: Int
    $isEnabled: Boolean
  ) {
    updateRewardRule(
      actionKind: $actionKind
      amount: $amount
      dailyCap: $dailyCap
      perTargetDailyCap: $perTargetDailyCap
      holdSeconds: $holdSeconds
      isEnabled: $isEnabled
    ) {
      __typename
      ... on RewardRulePayload {
        rule {
          actionKind
          amount
          dailyCap
          perTargetDailyCap
          holdSeconds
          isEnabled
        }
      }
      ... on Error {
        message
      }
      ... on ValidationError {
        fieldErrors {
          field
          messages
        }
      }
    }
  }
`;

type Reward = {
  id: string;
  kind: string;
  status: string;
  amount: string;
  memo: string;
  reason: { code: string; message: string } | null;
  holdUntil: string | null;
  isAppealable: boolean;
  appeal: { status: string; message: string; decisionReason: string | null } | null;
};

type Wallet = {
  available: string;
  pending: string;
  invested: string;
  settled: string;
  nextUnlockAt: string | null;
  history: {
    edges: { cursor: string; node: { amount: string; balance: string; memo: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string };
  };
};

type Member = { client: TestClient; userId: UserId; handle: string };

async function signedUp(server: TestServer): Promise<Member> {
  const client = new TestClient(server.url);
  const { handle } = await signUpAndSignInByGraphQL(client, newAccountInput());
  const row = await server.db
    .selectFrom("users")
    .select("id")
    .where("handle", "=", handle)
    .executeTakeFirstOrThrow();
  return { client, userId: row.id as UserId, handle };
}

/**
 * Past the new-account review: this user's rewards are paid straight to available.
 * Backdated before any reward (the engine remembers an account's age once it has seen
 * it), so created with the factory (no welcome bonus) and then signed in over GraphQL.
 */
async function settledIn(server: TestServer): Promise<Member> {
  const { user, password } = await createUser(server.db);
  await server.db
    .updateTable("users")
    // Settled in: here two months and activated, so nothing waits for review.
    .set({ created_at: new Date(Date.now() - 60 * 86_400_000), activated_at: new Date() })
    .where("id", "=", user.id)
    .execute();
  const client = new TestClient(server.url);
  const { body } = await client.graphql<{ signIn: { __typename: string } }>(SIGN_IN, {
    input: { email: user.email, password },
  });
  if (body.data?.signIn.__typename !== "AuthPayload") throw new Error(JSON.stringify(body));
  return { client, userId: user.id, handle: user.handle };
}

async function admin(server: TestServer): Promise<Member> {
  const member = await signedUp(server);
  await server.db
    .updateTable("users")
    .set({ is_admin: true })
    .where("id", "=", member.userId)
    .execute();
  return member;
}

async function wallet(client: TestClient, variables: Record<string, unknown> = {}) {
  const { body } = await client.graphql<{ viewer: { wallet: Wallet } }>(WALLET, variables);
  expect(body.errors).toBeUndefined();
  return body.data!.viewer.wallet;
}

async function rewards(client: TestClient, filter = "ALL") {
  const { body } = await client.graphql<{ viewer: { rewards: { edges: { node: Reward }[] } } }>(
    MY_REWARDS,
    { filter },
  );
  expect(body.errors).toBeUndefined();
  return body.data!.viewer.rewards.edges.map((edge) => edge.node);
}

async function checkIn(client: TestClient) {
  const { body } = await client.graphql<{
    checkIn: { __typename: string; isReplay: boolean; message: string; reward: Reward };
  }>(CHECK_IN);
  expect(body.errors).toBeUndefined();
  return body.data!.checkIn;
}

/** A reward held for its rule's day (a post's), the member's newest: something to appeal. */
async function heldPostReward(server: TestServer, member: Member): Promise<Reward> {
  const paid = await server.services.rewards.reward({
    actionKind: "post.created",
    userId: member.userId,
    causeId: `held-${member.userId}`,
    memo: "You posted",
  });
  if (!paid.ok || paid.value.status !== "held") throw new Error(JSON.stringify(paid));
  const [reward] = await rewards(member.client);
  return reward!;
}

async function transfersWithKey(server: TestServer, key: string): Promise<number> {
  const { rows } = await sql<{ count: string | number }>`
    select count(*) as count from ledger_transfers where idempotency_key = ${key}`.execute(
    server.db,
  );
  return Number(rows[0]!.count);
}

describe.each(testBackends())("GraphQL wallet and rewards on %s", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  it("signing up pays nothing yet: the welcome bonus waits for activation", async () => {
    const { client } = await signedUp(server);
    const mine = await wallet(client);
    expect(mine).toMatchObject({
      available: "0",
      pending: "0",
      invested: "0",
      settled: "0",
      nextUnlockAt: null,
    });
    expect(await rewards(client)).toEqual([]);
  });

  it("signing up still succeeds when the welcome bonus cannot be granted", async () => {
    await server.db
      .deleteFrom("reward_rules")
      .where("action_kind", "=", "account.welcome")
      .execute();
    onTestFinished(() => ensurePlatformDefaults(server.db));
    const { client } = await signedUp(server);
    expect(await rewards(client)).toEqual([]);
    expect((await wallet(client)).pending).toBe("0");
  });

  it("checkIn pays once per UTC day; a second check-in pays nothing and says why", async () => {
    const { client, userId } = await settledIn(server);
    const first = await checkIn(client);
    expect(first).toMatchObject({
      __typename: "RewardPayload",
      isReplay: false,
      message: "Checked in: paid into your available balance.",
      reward: { kind: "checkin.daily", status: "AVAILABLE", amount: CHECK_IN_AMOUNT },
    });
    const second = await checkIn(client);
    expect(second).toMatchObject({
      __typename: "RewardPayload",
      isReplay: true,
      message: "You already checked in today — the next check-in opens at 00:00 UTC.",
      reward: { id: first.reward.id },
    });
    // Paid exactly once, to the last base unit.
    expect(await transfersWithKey(server, `reward:${checkInKey(userId)}`)).toBe(1);
    const mine = await wallet(client);
    expect(mine).toMatchObject({ available: CHECK_IN_AMOUNT, pending: "0", nextUnlockAt: null });
    expect(mine.history.edges.filter((e) => e.node.memo === "Daily check-in")).toHaveLength(1);
  });

  it("a new account's check-in pays at once: it fits the allowance before activation", async () => {
    const { client } = await signedUp(server);
    const result = await checkIn(client);
    expect(result.reward).toMatchObject({ status: "AVAILABLE", reason: null });
    expect(result.message).toBe("Checked in: paid into your available balance.");
    const mine = await wallet(client);
    expect(mine).toMatchObject({ available: CHECK_IN_AMOUNT, pending: "0" });
  });

  it("wallet history pages forwards by transfer id, newest first, with no gaps or repeats", async () => {
    const { client, userId } = await settledIn(server);
    await checkIn(client);
    for (let i = 0; i < 4; i++) {
      const result = await server.services.rewards.reward({
        actionKind: "post.created",
        userId,
        causeId: `history-${userId}-${i}`,
        memo: `Post ${i}`,
      });
      expect(result.ok).toBe(true);
    }
    const everything = (await wallet(client, { first: 50 })).history.edges;
    expect(everything.map((e) => e.node.memo)).toEqual([
      "Post 3 (on hold)",
      "Post 2 (on hold)",
      "Post 1 (on hold)",
      "Post 0 (on hold)",
      "Daily check-in",
    ]);
    expect(everything[0]!.node).toMatchObject({ amount: "5000000000000000", balance: "PENDING" });
    expect(everything[4]!.node).toMatchObject({ amount: CHECK_IN_AMOUNT, balance: "AVAILABLE" });

    const seen: string[] = [];
    let after: string | undefined;
    const pages: number[] = [];
    for (;;) {
      const page = (await wallet(client, { first: 2, after })).history;
      pages.push(page.edges.length);
      seen.push(...page.edges.map((edge) => edge.cursor));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toEqual([2, 2, 1]);
    expect(seen).toEqual(everything.map((edge) => edge.cursor));
    // Cursors are transfer ids, strictly decreasing.
    const ids = seen.map(BigInt);
    expect(ids.every((id, i) => i === 0 || id < ids[i - 1]!)).toBe(true);

    const bad = await client.graphql(WALLET, { first: 2, after: "not-a-cursor" });
    expect(bad.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const backwards = await client.graphql(
      `{ viewer { wallet { history(last: 2) { edges { cursor } } } } }`,
    );
    expect(backwards.body.errors?.[0]?.message).toMatch(/forwards only/);
  });

  it("another user's wallet and rewards are FORBIDDEN, and their reward is NotFound for an appeal", async () => {
    const owner = await signedUp(server);
    const stranger = await signedUp(server);
    const ownerReward = await heldPostReward(server, owner);

    const peek = await stranger.client.graphql<{ user: { wallet: unknown } }>(
      `query ($handle: String!) { user(handle: $handle) { handle wallet { available } } }`,
      { handle: owner.handle },
    );
    expect(peek.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(peek.body.data?.user.wallet).toBeNull();
    const peekRewards = await stranger.client.graphql(
      `query ($handle: String!) { user(handle: $handle) { rewards { edges { node { id } } } } }`,
      { handle: owner.handle },
    );
    expect(peekRewards.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const node = await stranger.client.graphql<{ node: unknown }>(
      `query ($id: ID!) { node(id: $id) { id ... on Reward { amount } } }`,
      { id: ownerReward!.id },
    );
    expect(node.body.data?.node).toBeNull();

    const appeal = await stranger.client.graphql<{ appealReward: { __typename: string } }>(APPEAL, {
      rewardId: ownerReward!.id,
      message: "This is mine, honestly.",
    });
    expect(appeal.body.data?.appealReward).toEqual({
      __typename: "NotFoundError",
      message: "No such reward in your wallet.",
    });
    // The owner can still appeal it: the stranger's attempt changed nothing.
    const own = await owner.client.graphql<{ appealReward: { __typename: string } }>(APPEAL, {
      rewardId: ownerReward!.id,
      message: "Please release my post's reward.",
    });
    expect(own.body.data?.appealReward.__typename).toBe("AppealPayload");
  });

  it("signed out, checkIn and appealReward answer NotSignedInError and wallet is null", async () => {
    const anonymous = new TestClient(server.url);
    const result = await anonymous.graphql<{ checkIn: unknown }>(CHECK_IN);
    expect(result.body.data?.checkIn).toEqual({
      __typename: "NotSignedInError",
      message: "Sign in first.",
    });
    const appeal = await anonymous.graphql<{ appealReward: { __typename: string } }>(APPEAL, {
      rewardId: "UmV3YXJkOjE",
      message: "Let me in please",
    });
    expect(appeal.body.data?.appealReward.__typename).toBe("NotSignedInError");
  });

  it("signed out, the admin-only mutations answer NotSignedInError and change nothing", async () => {
    const anonymous = new TestClient(server.url);
    const decide = await anonymous.graphql<{ decideAppeal: unknown }>(DECIDE, {
      rewardId: "UmV3YXJkOjE",
      approve: true,
      reason: "Looks fine",
    });
    expect(decide.body.data?.decideAppeal).toEqual({
      __typename: "NotSignedInError",
      message: "Sign in first.",
    });
    const boss = await admin(server);
    const rules = async () =>
      (
        await boss.client.graphql<{ rewardRules: { actionKind: string; amount: string }[] }>(
          `{ rewardRules { actionKind amount } }`,
        )
      ).body.data?.rewardRules;
    const before = await rules();
    const update = await anonymous.graphql<{ updateRewardRule: unknown }>(UPDATE_RULE, {
      actionKind: "comment.created",
      amount: "1",
    });
    expect(update.body.data?.updateRewardRule).toEqual({
      __typename: "NotSignedInError",
      message: "Sign in first.",
    });
    expect(await rules()).toEqual(before);
  });

  it("a reward can be appealed once; the second attempt is a typed error", async () => {
    const member = await signedUp(server);
    const { client } = member;
    const welcome = await heldPostReward(server, member);
    const tooShort = await client.graphql<{
      appealReward: { __typename: string; fieldErrors: unknown };
    }>(APPEAL, { rewardId: welcome!.id, message: "no" });
    expect(tooShort.body.data?.appealReward).toMatchObject({
      __typename: "ValidationError",
      fieldErrors: [{ field: "message", messages: ["Explain your appeal in 5–1000 characters."] }],
    });
    const notAReward = await client.graphql<{ appealReward: { __typename: string } }>(APPEAL, {
      rewardId: "VXNlcjox",
      message: "Wrong kind of id",
    });
    expect(notAReward.body.data?.appealReward.__typename).toBe("ValidationError");

    const first = await client.graphql<{
      appealReward: { __typename: string; appeal: unknown; reward: Reward };
    }>(APPEAL, { rewardId: welcome!.id, message: "  I am a real person, promise.  " });
    expect(first.body.data?.appealReward).toMatchObject({
      __typename: "AppealPayload",
      appeal: { status: "OPEN", message: "I am a real person, promise." },
      reward: { id: welcome!.id, isAppealable: false, appeal: { status: "OPEN" } },
    });
    const second = await client.graphql<{ appealReward: { __typename: string } }>(APPEAL, {
      rewardId: welcome!.id,
      message: "Asking again, louder.",
    });
    expect(second.body.data?.appealReward).toEqual({
      __typename: "AlreadyAppealedError",
      message: "This reward was already appealed; each reward can be appealed once.",
    });
    const [after] = await rewards(client, "NEEDS_ATTENTION");
    expect(after!.appeal).toEqual({
      status: "OPEN",
      message: "I am a real person, promise.",
      decisionReason: null,
    });
  });

  it("an available reward is not appealable", async () => {
    const { client } = await settledIn(server);
    const { reward } = await checkIn(client);
    const result = await client.graphql<{ appealReward: { __typename: string } }>(APPEAL, {
      rewardId: reward.id,
      message: "I want more of it",
    });
    expect(result.body.data?.appealReward.__typename).toBe("NotAppealableError");
  });

  it("an admin decides an appeal (approving releases the held reward); a non-admin gets ForbiddenError", async () => {
    const boss = await admin(server);
    const member = await signedUp(server);
    const welcome = await heldPostReward(server, member);
    await member.client.graphql(APPEAL, {
      rewardId: welcome!.id,
      message: "I signed up for real.",
    });

    const open = await boss.client.graphql<{
      openAppeals: { edges: { node: { id: string; owner: { handle: string } } }[] };
    }>(`{ openAppeals(first: 100) { edges { node { id owner { handle } } } } }`);
    expect(open.body.data?.openAppeals.edges.map((e) => e.node)).toContainEqual({
      id: welcome!.id,
      owner: { handle: member.handle },
    });

    const refused = await member.client.graphql<{ decideAppeal: unknown }>(DECIDE, {
      rewardId: welcome!.id,
      approve: true,
      reason: "I approve of myself",
    });
    expect(refused.body.data?.decideAppeal).toEqual({
      __typename: "ForbiddenError",
      message: "Only admins can decide appeals.",
    });
    expect((await wallet(member.client)).available).toBe("0");

    const noReason = await boss.client.graphql<{ decideAppeal: { __typename: string } }>(DECIDE, {
      rewardId: welcome!.id,
      approve: true,
      reason: "",
    });
    expect(noReason.body.data?.decideAppeal.__typename).toBe("ValidationError");

    const approved = await boss.client.graphql<{
      decideAppeal: { __typename: string; appeal: unknown; reward: Reward };
    }>(DECIDE, { rewardId: welcome!.id, approve: true, reason: "Verified by email." });
    expect(approved.body.data?.decideAppeal).toMatchObject({
      __typename: "AppealPayload",
      appeal: { status: "APPROVED", decisionReason: "Verified by email." },
      reward: { status: "AVAILABLE", reason: { code: "appeal_approved" } },
    });
    const mine = await wallet(member.client);
    expect(mine).toMatchObject({ available: POST_AMOUNT, pending: "0", nextUnlockAt: null });
    const [seen] = await rewards(member.client, "NEEDS_ATTENTION");
    expect(seen!.appeal).toMatchObject({
      status: "APPROVED",
      decisionReason: "Verified by email.",
    });

    const again = await boss.client.graphql<{ decideAppeal: { __typename: string } }>(DECIDE, {
      rewardId: welcome!.id,
      approve: false,
      reason: "Changed my mind",
    });
    expect(again.body.data?.decideAppeal.__typename).toBe("AlreadyDecidedError");
  });

  it("a disabled rule refuses the check-in with its reason; an approved appeal pays it", async () => {
    const boss = await admin(server);
    const member = await settledIn(server);
    const disable = await boss.client.graphql<{ updateRewardRule: { __typename: string } }>(
      UPDATE_RULE,
      { actionKind: "checkin.daily", isEnabled: false },
    );
    expect(disable.body.data?.updateRewardRule.__typename).toBe("RewardRulePayload");
    let result;
    try {
      result = await checkIn(member.client);
    } finally {
      await boss.client.graphql(UPDATE_RULE, { actionKind: "checkin.daily", isEnabled: true });
    }
    expect(result).toMatchObject({
      isReplay: false,
      message: "Refused: Rewards for daily check-ins are paused.",
      reward: {
        status: "REFUSED",
        reason: { code: "rule_disabled", message: "Rewards for daily check-ins are paused." },
        isAppealable: true,
      },
    });
    expect((await wallet(member.client)).available).toBe("0");

    await member.client.graphql(APPEAL, {
      rewardId: result.reward.id,
      message: "The check-in was paused by mistake.",
    });
    const approved = await boss.client.graphql<{ decideAppeal: { reward: Reward } }>(DECIDE, {
      rewardId: result.reward.id,
      approve: true,
      reason: "Paused by mistake; paid.",
    });
    expect(approved.body.data?.decideAppeal.reward.status).toBe("AVAILABLE");
    expect((await wallet(member.client)).available).toBe(CHECK_IN_AMOUNT);
  });

  it("an admin updates a rule and the next reward uses it; non-admins get ForbiddenError", async () => {
    const boss = await admin(server);
    const member = await settledIn(server);

    const denied = await member.client.graphql<{ updateRewardRule: unknown }>(UPDATE_RULE, {
      actionKind: "comment.created",
      amount: "1",
    });
    expect(denied.body.data?.updateRewardRule).toEqual({
      __typename: "ForbiddenError",
      message: "Only admins can change reward rules.",
    });
    const rulesDenied = await member.client.graphql(`{ rewardRules { actionKind } }`);
    expect(rulesDenied.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    const amount = "7000000000000001"; // 0.007000000000000001 MICRO: every base unit counts
    onTestFinished(async () => {
      await boss.client.graphql(UPDATE_RULE, {
        actionKind: "comment.created",
        amount: "2000000000000000",
        dailyCap: 20,
        holdSeconds: 86_400,
      });
    });
    const updated = await boss.client.graphql<{ updateRewardRule: unknown }>(UPDATE_RULE, {
      actionKind: "comment.created",
      amount,
      dailyCap: null,
      holdSeconds: 0,
    });
    expect(updated.body.data?.updateRewardRule).toEqual({
      __typename: "RewardRulePayload",
      rule: {
        actionKind: "comment.created",
        amount,
        dailyCap: null,
        perTargetDailyCap: 5, // omitted, so unchanged
        holdSeconds: 0,
        isEnabled: true,
      },
    });
    const listed = await boss.client.graphql<{
      rewardRules: { actionKind: string; amount: string; dailyCap: number | null }[];
    }>(`{ rewardRules { actionKind amount dailyCap } }`);
    expect(listed.body.data?.rewardRules).toContainEqual({
      actionKind: "comment.created",
      amount,
      dailyCap: null,
    });

    const paid = await server.services.rewards.reward({
      actionKind: "comment.created",
      userId: member.userId,
      causeId: `rule-change-${member.userId}`,
      memo: "A post",
    });
    expect(paid.ok && paid.value).toMatchObject({ status: "available", amount: BigInt(amount) });

    const badCap = await boss.client.graphql<{ updateRewardRule: unknown }>(UPDATE_RULE, {
      actionKind: "comment.created",
      dailyCap: 0,
    });
    expect(badCap.body.data?.updateRewardRule).toMatchObject({
      __typename: "ValidationError",
      fieldErrors: [{ field: "dailyCap" }],
    });
    const badAmount = await boss.client.graphql<{ updateRewardRule: unknown }>(UPDATE_RULE, {
      actionKind: "comment.created",
      amount: "-5",
    });
    expect(badAmount.body.data?.updateRewardRule).toMatchObject({
      __typename: "ValidationError",
      fieldErrors: [{ field: "amount" }],
    });
    const unknown = await boss.client.graphql<{ updateRewardRule: { __typename: string } }>(
      UPDATE_RULE,
      { actionKind: "no.such.rule", isEnabled: false },
    );
    expect(unknown.body.data?.updateRewardRule.__typename).toBe("NotFoundError");
  });

  it("rejects wrongly typed arguments before running anything", async () => {
    const boss = await admin(server);
    const rulesNow = async () =>
      (
        await boss.client.graphql<{ rewardRules: unknown[] }>(
          `{ rewardRules { actionKind amount dailyCap holdSeconds isEnabled } }`,
        )
      ).body.data?.rewardRules;
    const before = await rulesNow();
    const asNumber = await boss.client.graphql(UPDATE_RULE, {
      actionKind: "comment.created",
      amount: 1.5,
    });
    expect(asNumber.status).toBe(400);
    expect(asNumber.body.errors?.[0]?.message).toMatch(
      /TokenAmount must be a string of base units/,
    );
    const decimal = await boss.client.graphql(UPDATE_RULE, {
      actionKind: "comment.created",
      amount: "0.01",
    });
    expect(decimal.body.errors?.[0]?.message).toMatch(/TokenAmount must be a string/);
    const literal = await boss.client.graphql(
      `mutation { updateRewardRule(actionKind: "comment.created", amount: 5) { __typename } }`,
    );
    expect(literal.body.errors?.[0]?.message).toMatch(/TokenAmount/);
    const capAsText = await boss.client.graphql(UPDATE_RULE, {
      actionKind: "comment.created",
      dailyCap: "three",
    });
    expect(capAsText.body.errors?.[0]?.message).toMatch(/Int cannot represent/);
    const missing = await boss.client.graphql(
      `mutation { appealReward(rewardId: "UmV3YXJkOjE") { __typename } }`,
    );
    expect(missing.body.errors?.[0]?.message).toMatch(/argument "message" of type "String!"/);
    expect(await rulesNow()).toEqual(before);
  });

  it("rewardLanded streams the viewer's reward over SSE as it lands", async () => {
    const { client } = await settledIn(server);
    const other = await settledIn(server);
    const query = `subscription { rewardLanded { rewardId status amount memo reason holdUntil createdAt } }`;
    const controller = new AbortController();
    const response = await client.request(`/graphql?query=${encodeURIComponent(query)}`, {
      headers: { accept: "text/event-stream" },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const { readUntil } = readEventStream(response);
    try {
      // Yoga opens the stream with a ping once the subscription is live.
      await readUntil(/^:\n\n/, 5_000);
      // Someone else's reward must not reach this stream.
      await checkIn(other.client);
      const { reward } = await checkIn(client);
      const text = await readUntil(/event: next\ndata: .*\n\n/, 10_000);
      const events = [...text.matchAll(/event: next\ndata: (.*)\n\n/g)].map(
        (match) => JSON.parse(match[1]!) as { data: { rewardLanded: Record<string, unknown> } },
      );
      expect(events).toHaveLength(1);
      expect(events[0]!.data.rewardLanded).toMatchObject({
        rewardId: reward.id,
        status: "AVAILABLE",
        amount: CHECK_IN_AMOUNT,
        memo: "Daily check-in",
        reason: null,
        holdUntil: null,
      });
    } finally {
      controller.abort();
    }
  });

  it("rewardLanded refuses a signed-out subscriber", async () => {
    const query = `subscription { rewardLanded { amount } }`;
    const response = await fetch(`${server.url}/graphql?query=${encodeURIComponent(query)}`, {
      headers: { accept: "text/event-stream" },
    });
    const text = await response.text();
    expect(text).toMatch(/"code":"FORBIDDEN"/);
    expect(text).toMatch(/event: complete/);
  });
});
