/**
 * What a person (or a script) can do on the platform, through its public GraphQL door exactly
 * as the web client sends it. Each call answers what came back: the result's type name and,
 * for refusals, the message the person reads.
 */
import type { BrowserClient } from "./integrity-client.ts";

export type Outcome = { ok: boolean; type: string; message: string | null };
export type Created = Outcome & { id: string | null };

const failure = (type: string, message: string | null): Outcome => ({ ok: false, type, message });

async function mutate<T extends { __typename: string; message?: string }>(
  client: BrowserClient,
  field: string,
  query: string,
  variables: Record<string, unknown>,
  okType: string,
): Promise<{ outcome: Outcome; result: T | null }> {
  const answer = await client.gql<Record<string, T>>(query, variables);
  if (answer.errors?.length) {
    return { outcome: failure("error", answer.errors[0]!.message), result: null };
  }
  const result = answer.data?.[field] ?? null;
  if (!result) return { outcome: failure("error", "no data"), result: null };
  return {
    outcome: {
      ok: result.__typename === okType,
      type: result.__typename,
      message: result.message ?? null,
    },
    result,
  };
}

const ERROR = `... on Error { message }`;

/** Starts an account; it opens no session and names no user (sign in next, as a person does). */
export async function signUp(
  client: BrowserClient,
  input: { handle: string; email: string; password: string },
): Promise<Outcome> {
  const { outcome } = await mutate(
    client,
    "signUp",
    `mutation ($input: SignUpInput!) { signUp(input: $input) { __typename ${ERROR} } }`,
    { input },
    "SignUpStarted",
  );
  return outcome;
}

export async function signIn(
  client: BrowserClient,
  input: { email: string; password: string },
): Promise<Created> {
  const { outcome, result } = await mutate<{
    __typename: string;
    message?: string;
    user?: { id: string };
  }>(
    client,
    "signIn",
    `mutation ($input: SignInInput!) { signIn(input: $input) { __typename ${ERROR} ... on AuthPayload { user { id } } } }`,
    { input },
    "AuthPayload",
  );
  return { ...outcome, id: result?.user?.id ?? null };
}

export async function checkIn(client: BrowserClient): Promise<Outcome> {
  return (
    await mutate(
      client,
      "checkIn",
      `mutation { checkIn { __typename ${ERROR} } }`,
      {},
      "RewardPayload",
    )
  ).outcome;
}

export async function createPost(client: BrowserClient, body: string): Promise<Created> {
  const { outcome, result } = await mutate<{
    __typename: string;
    message?: string;
    post?: { id: string };
  }>(
    client,
    "createPost",
    `mutation ($body: String!) { createPost(body: $body) { __typename ${ERROR} ... on CreatePostPayload { post { id } } } }`,
    { body },
    "CreatePostPayload",
  );
  return { ...outcome, id: result?.post?.id ?? null };
}

export async function createComment(
  client: BrowserClient,
  postId: string,
  body: string,
): Promise<Outcome> {
  return (
    await mutate(
      client,
      "createComment",
      `mutation ($postId: ID!, $body: String!) { createComment(postId: $postId, body: $body) { __typename ${ERROR} } }`,
      { postId, body },
      "CreateCommentPayload",
    )
  ).outcome;
}

export async function likePost(client: BrowserClient, postId: string): Promise<Outcome> {
  return (
    await mutate(
      client,
      "likePost",
      `mutation ($postId: ID!) { likePost(postId: $postId) { __typename ${ERROR} } }`,
      { postId },
      "PostLikePayload",
    )
  ).outcome;
}

export async function unlikePost(client: BrowserClient, postId: string): Promise<Outcome> {
  return (
    await mutate(
      client,
      "unlikePost",
      `mutation ($postId: ID!) { unlikePost(postId: $postId) { __typename ${ERROR} } }`,
      { postId },
      "PostLikePayload",
    )
  ).outcome;
}

export async function follow(client: BrowserClient, userId: string): Promise<Outcome> {
  return (
    await mutate(
      client,
      "follow",
      `mutation ($userId: ID!) { follow(userId: $userId) { __typename ${ERROR} } }`,
      { userId },
      "FollowPayload",
    )
  ).outcome;
}

export async function unfollow(client: BrowserClient, userId: string): Promise<Outcome> {
  return (
    await mutate(
      client,
      "unfollow",
      `mutation ($userId: ID!) { unfollow(userId: $userId) { __typename ${ERROR} } }`,
      { userId },
      "FollowPayload",
    )
  ).outcome;
}

/** A run as issued: segment 0's seed when the game's randomness comes in segments. */
export type IssuedRun = {
  id: string;
  seed: string;
  segmentTicks: number | null;
  segmentCount: number;
};

export async function startRun(
  client: BrowserClient,
  gameId: string,
): Promise<Outcome & { run: IssuedRun | null }> {
  const { outcome, result } = await mutate<{
    __typename: string;
    message?: string;
    run?: IssuedRun;
  }>(
    client,
    "startRun",
    `mutation ($gameId: ID!) { startRun(gameId: $gameId) { __typename ${ERROR} ... on StartRunPayload { run { id seed segmentTicks segmentCount } } } }`,
    { gameId },
    "StartRunPayload",
  );
  return { ...outcome, run: result?.run ?? null };
}

export async function submitRun(
  client: BrowserClient,
  runId: string,
  inputs: unknown,
  claimedScore: number,
  endedAtTick: number | null = null,
): Promise<Outcome> {
  return (
    await mutate(
      client,
      "submitRun",
      `mutation ($runId: ID!, $inputs: JSON!, $claimedScore: Int!, $endedAtTick: Int) { submitRun(runId: $runId, inputs: $inputs, claimedScore: $claimedScore, endedAtTick: $endedAtTick) { __typename ${ERROR} } }`,
      { runId, inputs, claimedScore, endedAtTick },
      "SubmitRunPayload",
    )
  ).outcome;
}

/**
 * The seed of one segment of a run, asked for as the browser does: when the answer is "not
 * yet", it waits as long as the server says and asks again.
 */
export async function revealSegment(
  client: BrowserClient,
  runId: string,
  segment: number,
): Promise<string> {
  for (;;) {
    const { outcome, result } = await mutate<{
      __typename: string;
      message?: string;
      seed?: string;
      retryAfterMs?: number;
    }>(
      client,
      "revealRunSegment",
      `mutation ($runId: ID!, $segment: Int!) { revealRunSegment(runId: $runId, segment: $segment) { __typename ${ERROR} ... on RunSegment { seed } ... on RunSegmentNotYetError { retryAfterMs } } }`,
      { runId, segment },
      "RunSegment",
    );
    if (outcome.ok && result?.seed) return result.seed;
    if (result?.__typename !== "RunSegmentNotYetError") {
      throw new Error(`segment ${segment} of run ${runId}: ${outcome.type} ${outcome.message}`);
    }
    await new Promise((resolve) => setTimeout(resolve, (result.retryAfterMs ?? 500) + 50));
  }
}

/** Reads the viewer's quests; reading them pays any quest reward that is due. */
export async function readQuests(
  client: BrowserClient,
): Promise<{ id: string; progress: number; target: number }[]> {
  const answer = await client.gql<{
    viewer: {
      progress: { quests: { id: string; progress: number; target: number }[] };
    } | null;
  }>(`{ viewer { progress { quests { id progress target } } } }`);
  return answer.data?.viewer?.progress.quests ?? [];
}
