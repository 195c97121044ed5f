import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import type { EarnedAchievement, GameFailureCode } from "#core/games/game-types.ts";
import { submitRun } from "#core/games/game-runs.ts";
import { rewardNote } from "#core/rewards/reward-note.ts";

/**
 * The largest submission read. A full River Run log (its 4,000-input cap, ticks up to
 * 7,200) is ~50 KB of JSON; anything bigger is refused before a byte of it is parsed.
 */
const MAX_SUBMISSION_BYTES = 256 * 1024;

const submission = z.object({
  inputs: z.unknown(),
  claimedScore: z.unknown(),
  endedAtTick: z.unknown().optional(),
});

const statusOf: Record<GameFailureCode, number> = {
  not_found: 404,
  invalid: 400,
  too_many_runs: 429,
  already_submitted: 409,
  expired: 410,
  rejected: 422,
  not_yet: 425,
};

const refuse = (status: number, code: string, reason: string, runId: string) =>
  Response.json({ ok: false, runId, code, reason }, { status });

/** Reads the body as text, giving up (null) as soon as it passes `limit` bytes. */
async function readCapped(request: Request, limit: number): Promise<string | null> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

const achievementView = (achievement: EarnedAchievement) => ({
  id: achievement.achievementId,
  title: achievement.title,
  earnedAt: achievement.earnedAt.toISOString(),
  reward: rewardNote(achievement.reward, "achievement"),
});

/**
 * POST /games/runs/:runId with JSON `{ inputs, claimedScore, endedAtTick? }` — the finished
 * run's input log (and, for a segmented game ended early, the tick it ended at). The server replays it from the run's seed; only the replayed score counts. Answers
 * `{ ok: true, runId, score, perfect, achievements }` (the achievements newly earned, each
 * with what it paid) or `{ ok: false, code, reason }` saying why the run was refused.
 * Cross-site posts never reach it: the server's same-origin guard refuses them first.
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const runId = params.runId ?? "";
  if (request.method !== "POST")
    return refuse(405, "method_not_allowed", "Submit with POST.", runId);
  if (!context.viewer) return refuse(401, "not_signed_in", "Sign in to submit a run.", runId);
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_SUBMISSION_BYTES) {
    return refuse(
      413,
      "too_large",
      `A run's log is at most ${MAX_SUBMISSION_BYTES / 1024} KB.`,
      runId,
    );
  }
  if (!/^application\/json\b/i.test(request.headers.get("content-type") ?? "")) {
    return refuse(415, "not_json", "Send the run as application/json.", runId);
  }
  const text = await readCapped(request, MAX_SUBMISSION_BYTES);
  if (text === null) {
    return refuse(
      413,
      "too_large",
      `A run's log is at most ${MAX_SUBMISSION_BYTES / 1024} KB.`,
      runId,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return refuse(400, "malformed", "The run is not valid JSON.", runId);
  }
  const parsed = submission.safeParse(body);
  if (!parsed.success) {
    return refuse(400, "malformed", "Send an object with `inputs` and `claimedScore`.", runId);
  }
  const { db, rewards } = context.services;
  const verified = await submitRun({ db, rewards }, context.viewer.user.id, runId, parsed.data);
  if (!verified.ok) {
    const { error } = verified;
    return refuse(
      statusOf[error.code],
      error.run?.rejection?.code ?? error.code,
      error.message,
      runId,
    );
  }
  const { run, achievements } = verified.value;
  return Response.json({
    ok: true,
    runId: run.id,
    gameId: run.gameId,
    score: run.score ?? 0,
    perfect: run.perfect ?? false,
    achievements: achievements.map(achievementView),
  });
}
