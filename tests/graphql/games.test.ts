import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyLedger } from "#core/ledger/verify-ledger.ts";
import { playRapidsRhythm } from "#game/bots.ts";
import { TestClient } from "#tests/support/http-client.ts";
import { testBackends } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";
import { gql, newPerson, type Person } from "./social-fixtures.ts";

const GAMES = /* GraphQL */ `
  query Games {
    games {
      id
      title
      isBuiltIn
      rulesVersion
      achievements {
        id
        kind
        threshold
        earnedAt
      }
    }
    game(id: "river-run") {
      title
    }
    missing: game(id: "no-such-game") {
      title
    }
  }
`;

const START_RUN = /* GraphQL */ `
  mutation StartRun($gameId: ID!) {
    startRun(gameId: $gameId) {
      __typename
      ... on StartRunPayload {
        run {
          id
          seed
          rulesVersion
          status
          expiresAt
          game {
            id
          }
        }
      }
      ... on Error {
        message
      }
    }
  }
`;

const SUBMIT_RUN = /* GraphQL */ `
  mutation SubmitRun($runId: ID!, $inputs: JSON!, $claimedScore: Int!) {
    submitRun(runId: $runId, inputs: $inputs, claimedScore: $claimedScore) {
      __typename
      ... on SubmitRunPayload {
        run {
          status
          score
          isPerfect
        }
        achievements {
          achievement {
            id
            title
          }
          earnedAt
          reward {
            status
            amount
            memo
          }
        }
      }
      ... on RunRejectedError {
        reason
        run {
          status
          rejection {
            code
            reason
          }
        }
      }
      ... on RunAlreadySubmittedError {
        run {
          status
        }
      }
      ... on Error {
        message
      }
    }
  }
`;

const BOARD = /* GraphQL */ `
  query Board($id: ID!) {
    game(id: $id) {
      achievements {
        id
        earnedAt
      }
      leaderboard(period: WEEK) {
        period
        entries {
          rank
          score
          player {
            handle
          }
        }
        viewer {
          rank
          score
        }
      }
    }
  }
`;

type RunData = { id: string; seed: string; status: string };

describe.each(testBackends())("games over GraphQL on %s", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(async () => {
    expect((await verifyLedger(server.db)).violations).toEqual([]);
    await server.close();
  });

  async function start(person: Person, gameId = "rapids-rhythm"): Promise<RunData> {
    const data = await gql<{ startRun: { __typename: string; run: RunData } }>(
      person.client,
      START_RUN,
      { gameId },
    );
    expect(data.startRun.__typename).toBe("StartRunPayload");
    return data.startRun.run;
  }

  async function rewardsOf(person: Person): Promise<number> {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from rewards where user_id = ${person.user.id}`.execute(server.db);
    return rows[0]!.n;
  }

  it("lists the games with their achievements; an unknown game is null", async () => {
    const anonymous = new TestClient(server.url);
    const data = await gql<{
      games: { id: string; isBuiltIn: boolean; achievements: { earnedAt: string | null }[] }[];
      game: { title: string };
      missing: null;
    }>(anonymous, GAMES);
    expect(data.games.map((g) => g.id).sort()).toEqual([
      "rapids-rhythm",
      "river-run",
      "tide-tiles",
    ]);
    expect(data.games.every((g) => g.isBuiltIn && g.achievements.length === 7)).toBe(true);
    expect(data.games[0]!.achievements.every((a) => a.earnedAt === null)).toBe(true);
    expect(data.game.title).toBe("River Run");
    expect(data.missing).toBeNull();
  });

  it("a run is issued, replayed on submission, pays its achievements and counts once", async () => {
    const player = await newPerson(server);
    const run = await start(player);
    expect(run.status).toBe("ISSUED");
    const played = playRapidsRhythm(run.seed);
    const submitted = await gql<{ submitRun: Record<string, unknown> }>(player.client, SUBMIT_RUN, {
      runId: run.id,
      inputs: played.events,
      claimedScore: played.result.score,
    });
    expect(submitted.submitRun).toMatchObject({
      __typename: "SubmitRunPayload",
      run: { status: "VERIFIED", score: played.result.score, isPerfect: true },
    });
    const achievements = submitted.submitRun.achievements as {
      achievement: { id: string };
      reward: { status: string; memo: string } | null;
    }[];
    expect(achievements.map((a) => a.achievement.id)).toContain("rapids-rhythm:first-finish");
    expect(achievements[0]!.reward).toMatchObject({
      status: "HELD",
      memo: "Achievement in Rapids Rhythm: First finish",
    });

    const board = await gql<{
      game: {
        achievements: { id: string; earnedAt: string | null }[];
        leaderboard: { entries: { score: number }[]; viewer: { rank: number; score: number } };
      };
    }>(player.client, BOARD, { id: "rapids-rhythm" });
    expect(
      board.game.achievements.find((a) => a.id === "rapids-rhythm:first-finish")?.earnedAt,
    ).not.toBeNull();
    expect(board.game.leaderboard.viewer).toMatchObject({ score: played.result.score });

    const again = await gql<{ submitRun: Record<string, unknown> }>(player.client, SUBMIT_RUN, {
      runId: run.id,
      inputs: played.events,
      claimedScore: played.result.score,
    });
    expect(again.submitRun).toMatchObject({
      __typename: "RunAlreadySubmittedError",
      run: { status: "VERIFIED" },
    });
  });

  it("a forged score or a malformed log is rejected with core's reason, and nothing is paid", async () => {
    const cheat = await newPerson(server);
    const run = await start(cheat);
    const played = playRapidsRhythm(run.seed, 3);
    const forged = await gql<{ submitRun: Record<string, unknown> }>(cheat.client, SUBMIT_RUN, {
      runId: run.id,
      inputs: played.events,
      claimedScore: played.result.score + 1000,
    });
    expect(forged.submitRun).toMatchObject({
      __typename: "RunRejectedError",
      reason: "score_mismatch",
      run: { status: "REJECTED", rejection: { code: "score_mismatch" } },
    });
    expect(forged.submitRun.message).toMatch(/replays to \d+ points/);

    const second = await start(cheat);
    const malformed = await gql<{ submitRun: Record<string, unknown> }>(cheat.client, SUBMIT_RUN, {
      runId: second.id,
      inputs: { moves: "all perfect" },
      claimedScore: 120_000,
    });
    expect(malformed.submitRun).toMatchObject({
      __typename: "RunRejectedError",
      reason: "malformed_log",
    });
    expect(await rewardsOf(cheat)).toBe(0);
  });

  it("runs need a signed-in player, and another player's run does not exist for you", async () => {
    const anonymous = new TestClient(server.url);
    const signedOut = await gql<{ startRun: { __typename: string } }>(anonymous, START_RUN, {
      gameId: "river-run",
    });
    expect(signedOut.startRun.__typename).toBe("NotSignedInError");

    const owner = await newPerson(server);
    const other = await newPerson(server);
    const run = await start(owner);
    const played = playRapidsRhythm(run.seed);
    const stolen = await gql<{ submitRun: { __typename: string } }>(other.client, SUBMIT_RUN, {
      runId: run.id,
      inputs: played.events,
      claimedScore: played.result.score,
    });
    expect(stolen.submitRun.__typename).toBe("NotFoundError");
    const unknown = await gql<{ startRun: { __typename: string } }>(owner.client, START_RUN, {
      gameId: "no-such-game",
    });
    expect(unknown.startRun.__typename).toBe("NotFoundError");
    expect(await rewardsOf(other)).toBe(0);
  });
});
