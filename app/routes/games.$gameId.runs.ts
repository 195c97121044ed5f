import type { ActionFunctionArgs } from "@remix-run/node";
import { startRun } from "#core/games/game-runs.ts";
import type { GameFailureCode } from "#core/games/game-types.ts";

const statusOf: Record<GameFailureCode, number> = {
  not_found: 404,
  invalid: 400,
  too_many_runs: 429,
  already_submitted: 409,
  expired: 410,
  rejected: 422,
  not_yet: 425,
};

/**
 * POST /games/:gameId/runs — starts a run for the signed-in player: JSON
 * `{ ok: true, runId, seed, rulesVersion, segmentTicks, segmentCount, expiresAt }`, or
 * `{ ok: false, code, reason }`. The browser plays the run from that seed (segment 0's, when
 * the game's randomness comes in segments: it fetches the others from
 * /games/runs/:runId/segments/:segment as it plays) and posts its input log to /games/runs/:runId.
 * Cross-site posts never reach it: the server's same-origin guard refuses them first.
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  if (request.method !== "POST") {
    return Response.json(
      { ok: false, code: "method_not_allowed", reason: "Start a run with POST." },
      { status: 405, headers: { allow: "POST" } },
    );
  }
  if (!context.viewer) {
    return Response.json(
      { ok: false, code: "not_signed_in", reason: "Sign in to play and earn achievements." },
      { status: 401 },
    );
  }
  const started = await startRun(context.services.db, context.viewer.user.id, params.gameId ?? "");
  if (!started.ok) {
    return Response.json(
      { ok: false, code: started.error.code, reason: started.error.message },
      { status: statusOf[started.error.code] },
    );
  }
  const run = started.value;
  return Response.json(
    {
      ok: true,
      runId: run.id,
      // Segment 0's seed only: the run's own seed never leaves the server.
      seed: run.firstSegmentSeed,
      rulesVersion: run.rulesVersion,
      segmentTicks: run.segmentTicks,
      segmentCount: run.segmentCount,
      expiresAt: run.expiresAt.toISOString(),
    },
    { status: 201 },
  );
}
