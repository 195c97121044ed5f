import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyLedger } from "#core/ledger/verify-ledger.ts";
import { playRapidsRhythm, playRiverRun } from "#game/bots.ts";
import { playRun } from "#game/engine/replay.ts";
import { rulesOf } from "#game/games.ts";
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
          segmentTicks
          segmentCount
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
  mutation SubmitRun($runId: ID!, $inputs: JSON!, $claimedScore: Int!, $endedAtTick: Int) {
    submitRun(
      runId: $runId
      inputs: $inputs
      claimedScore: $claimedScore
      endedAtTick: $endedAtTick
    ) {
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

const REVEAL_SEGMENT = /* GraphQL */ `
  mutation RevealRunSegment($runId: ID!, $segment: Int!) {
    revealRunSegment(runId: $runId, segment: $segment) {
      __typename
      ... on RunSegment {
        runId
        segment
        seed
        startTick
      }
      ... on RunSegmentNotYetError {
        retryAfterMs
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

type RunData = {
  id: string;
  seed: string;
  status: string;
  segmentTicks: number | null;
  segmentCount: number;
};

describe.each(testBackends())("games over GraphQL on %s", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(async () => {
    expect((await verifyLedger(server.db)).violations).toEqual([]);
    await server.close();
  });

  /** Starts a run; unless `isFresh`, as if it began ten minutes ago (its time has passed). */
  async function start(person: Person, gameId = "rapids-rhythm", isFresh = false) {
    const data = await gql<{ startRun: { __typename: string; run: RunData } }>(
      person.client,
      START_RUN,
      { gameId },
    );
    expect(data.startRun.__typename).toBe("StartRunPayload");
    const run = data.startRun.run;
    if (!isFresh) {
      await server.db
        .updateTable("game_runs")
        .set({ issued_at: new Date(Date.now() - 10 * 60_000) })
        .where("id", "=", run.id)
        .execute();
    }
    return run;
  }

  async function reveal(person: Person, runId: string, segment: number) {
    const data = await gql<{ revealRunSegment: Record<string, unknown> }>(
      person.client,
      REVEAL_SEGMENT,
      { runId, segment },
    );
    return data.revealRunSegment;
  }

  /** Every segment's seed, asked for through the API as a client playing the run does. */
  async function seedsOf(person: Person, run: RunData): Promise<string[]> {
    const seeds = [run.seed];
    for (let k = 1; k < run.segmentCount; k++) {
      const segment = await reveal(person, run.id, k);
      expect(segment).toMatchObject({ __typename: "RunSegment", segment: k });
      seeds.push(segment.seed as string);
    }
    return seeds;
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
    const played = playRapidsRhythm(await seedsOf(player, run));
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
    const played = playRapidsRhythm(await seedsOf(cheat, run), 3);
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
    const played = playRapidsRhythm(await seedsOf(owner, run));
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

  it("a run's randomness comes a segment at a time: a later segment is refused until the run reaches it, and only its player gets it", async () => {
    const player = await newPerson(server);
    const run = await start(player, "river-run", true);
    expect(run).toMatchObject({ segmentTicks: 600, segmentCount: 12 });
    const early = await reveal(player, run.id, 3);
    expect(early).toMatchObject({ __typename: "RunSegmentNotYetError" });
    expect(early.retryAfterMs as number).toBeGreaterThan(20_000);
    const other = await newPerson(server);
    expect(await reveal(other, run.id, 0)).toMatchObject({ __typename: "NotFoundError" });
    const first = await reveal(player, run.id, 0);
    expect(first).toMatchObject({ __typename: "RunSegment", seed: run.seed, startTick: 0 });
  });

  it("a run submitted before its time is refused as too_fast with the reason; the same play after its time is accepted", async () => {
    const player = await newPerson(server);
    // Ten seconds of Rhythm, played on segment 0's seed and ended there, back at once.
    const fresh = await start(player, "rapids-rhythm", true);
    const endedAtTick = fresh.segmentTicks!;
    const played = playRun(rulesOf("rapids-rhythm"), [fresh.seed], () => [], {
      endAtTick: endedAtTick,
    });
    const refused = await gql<{ submitRun: Record<string, unknown> }>(player.client, SUBMIT_RUN, {
      runId: fresh.id,
      inputs: played.events,
      claimedScore: played.result.score,
      endedAtTick,
    });
    expect(refused.submitRun).toMatchObject({
      __typename: "RunRejectedError",
      reason: "too_fast",
      run: { status: "REJECTED", rejection: { code: "too_fast" } },
    });
    expect(refused.submitRun.message).toMatch(/cannot end before its time/);

    const paced = await start(player, "rapids-rhythm");
    const replayed = playRun(rulesOf("rapids-rhythm"), [paced.seed], () => [], {
      endAtTick: endedAtTick,
    });
    const accepted = await gql<{ submitRun: Record<string, unknown> }>(player.client, SUBMIT_RUN, {
      runId: paced.id,
      inputs: replayed.events,
      claimedScore: replayed.result.score,
      endedAtTick,
    });
    expect(accepted.submitRun).toMatchObject({
      __typename: "SubmitRunPayload",
      run: { status: "VERIFIED", score: 0, isPerfect: false },
    });
  });

  it("a bot's robotic inputs are refused as inhuman_input, and nothing is paid", async () => {
    const bot = await newPerson(server);
    const run = await start(bot, "river-run");
    const played = playRiverRun(await seedsOf(bot, run), 34, "robot");
    const refused = await gql<{ submitRun: Record<string, unknown> }>(bot.client, SUBMIT_RUN, {
      runId: run.id,
      inputs: played.events,
      claimedScore: played.result.score,
    });
    expect(refused.submitRun).toMatchObject({
      __typename: "RunRejectedError",
      reason: "inhuman_input",
      run: { rejection: { code: "inhuman_input" } },
    });
    expect(await rewardsOf(bot)).toBe(0);
  });

  it("a malformed run id (36 characters, not a UUID) is NotFoundError on submitRun and revealRunSegment", async () => {
    const player = await newPerson(server);
    for (const runId of ["zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", "-".repeat(36)]) {
      const submitted = await gql<{ submitRun: { __typename: string } }>(
        player.client,
        SUBMIT_RUN,
        {
          runId,
          inputs: [],
          claimedScore: 0,
        },
      );
      expect(submitted.submitRun.__typename).toBe("NotFoundError");
      expect(await reveal(player, runId, 1)).toMatchObject({ __typename: "NotFoundError" });
    }
  });
});
