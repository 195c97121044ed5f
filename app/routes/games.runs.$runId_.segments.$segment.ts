import type { LoaderFunctionArgs } from "@remix-run/node";
import { revealRunSegment } from "#core/games/game-runs.ts";
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
 * GET /games/runs/:runId/segments/:segment — the next piece of a run's randomness, for the
 * browser playing it: `{ ok: true, runId, segment, seed, startTick }` once real time has
 * reached that segment, or `{ ok: false, code, reason, retryAfterMs? }` (425 `not_yet`
 * before then; 404 for a run that is not the viewer's or a malformed id).
 */
export async function loader({ context, params }: LoaderFunctionArgs) {
  const runId = params.runId ?? "";
  if (!context.viewer) {
    return Response.json(
      { ok: false, code: "not_signed_in", reason: "Sign in to play." },
      { status: 401 },
    );
  }
  const segment = /^\d{1,4}$/.test(params.segment ?? "") ? Number(params.segment) : -1;
  const revealed = await revealRunSegment(
    context.services.db,
    context.viewer.user.id,
    runId,
    segment,
  );
  if (!revealed.ok) {
    const { error } = revealed;
    return Response.json(
      { ok: false, code: error.code, reason: error.message, retryAfterMs: error.retryAfterMs },
      {
        status: statusOf[error.code],
        headers:
          error.retryAfterMs === undefined
            ? undefined
            : { "retry-after": String(Math.ceil(error.retryAfterMs / 1000)) },
      },
    );
  }
  return Response.json(
    { ok: true, ...revealed.value },
    { headers: { "cache-control": "private, no-store" } },
  );
}
