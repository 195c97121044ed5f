import type { IssuedRun, RunVerdict } from "#game/shared/game-bridge.ts";
import type { RunSubmissionBody } from "#game/engine/run-driver.ts";

// The page's half of a run: scenes never touch the network, so the page asks the server
// for a run and hands it the finished log (POST /games/:gameId/runs, /games/runs/:runId).

export type RunRequestAnswer =
  { isIssued: true; run: IssuedRun } | { isIssued: false; message: string };

/** An error page or a dropped connection has no JSON body; it reads as an empty answer. */
async function readJson(response: Response): Promise<Record<string, unknown>> {
  try {
    return (await response.json()) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** Asks the server to start a run; never throws: a refusal comes back as words to show. */
export async function requestRun(gameId: string): Promise<RunRequestAnswer> {
  try {
    const response = await fetch(`/games/${gameId}/runs`, {
      method: "POST",
      headers: { accept: "application/json" },
    });
    const body = await readJson(response);
    if (response.ok && typeof body.runId === "string" && typeof body.seed === "string") {
      return {
        isIssued: true,
        run: { runId: body.runId, seed: body.seed, rulesVersion: Number(body.rulesVersion) },
      };
    }
    return {
      isIssued: false,
      message: String(body.reason ?? "The server could not start a run. Try again."),
    };
  } catch {
    return {
      isIssued: false,
      message: "Could not reach Tributary to start a run. Check your connection.",
    };
  }
}

/** Posts a finished run's input log; never throws: a network failure is a refused verdict. */
export async function requestVerdict(
  runId: string,
  submission: RunSubmissionBody,
): Promise<RunVerdict> {
  try {
    const response = await fetch(`/games/runs/${encodeURIComponent(runId)}`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(submission),
    });
    const body = await readJson(response);
    return body.ok === true
      ? {
          ok: true,
          runId,
          score: Number(body.score),
          perfect: body.perfect === true,
          achievements: Array.isArray(body.achievements)
            ? (body.achievements as Extract<RunVerdict, { ok: true }>["achievements"])
            : [],
        }
      : {
          ok: false,
          runId,
          code: String(body.code ?? response.status),
          reason: String(body.reason ?? "The server could not check this run."),
        };
  } catch {
    return {
      ok: false,
      runId,
      code: "network",
      reason: "Could not reach Tributary to check this run.",
    };
  }
}
