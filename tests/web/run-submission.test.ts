import { afterEach, describe, expect, it, vi } from "vitest";
import { requestRun, requestVerdict } from "#app/utils/run-submission.client.ts";

function answerWith(response: Response | Error) {
  const fetch = vi.fn(async () => {
    if (response instanceof Error) throw response;
    return response;
  });
  vi.stubGlobal("fetch", fetch);
  return fetch;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("the page's run-submission client", () => {
  it("asks for a run with a POST and hands over the issued seed", async () => {
    const fetch = answerWith(
      Response.json({ ok: true, runId: "r1", seed: "s1", rulesVersion: 3 }, { status: 201 }),
    );
    expect(await requestRun("river-run")).toEqual({
      isIssued: true,
      run: { runId: "r1", seed: "s1", rulesVersion: 3 },
    });
    expect(fetch).toHaveBeenCalledWith("/games/river-run/runs", {
      method: "POST",
      headers: { accept: "application/json" },
    });
  });

  it("passes on the server's reason for refusing a run, or a plain one when it gave none", async () => {
    answerWith(Response.json({ ok: false, reason: "Slow down." }, { status: 429 }));
    expect(await requestRun("river-run")).toEqual({ isIssued: false, message: "Slow down." });
    answerWith(new Response("Forbidden", { status: 403 }));
    expect(await requestRun("river-run")).toEqual({
      isIssued: false,
      message: "The server could not start a run. Try again.",
    });
    answerWith(new TypeError("Failed to fetch"));
    expect(await requestRun("river-run")).toEqual({
      isIssued: false,
      message: "Could not reach Tributary to start a run. Check your connection.",
    });
  });

  it("posts the finished log as JSON and reads the verified score and achievements", async () => {
    const achievements = [{ id: "a", title: "First finish", earnedAt: "2026-01-01", reward: null }];
    const fetch = answerWith(
      Response.json({ ok: true, runId: "r/1", score: 120, perfect: true, achievements }),
    );
    const submission = { inputs: [], claimedScore: 120 };
    expect(await requestVerdict("r/1", submission)).toEqual({
      ok: true,
      runId: "r/1",
      score: 120,
      perfect: true,
      achievements,
    });
    expect(fetch).toHaveBeenCalledWith("/games/runs/r%2F1", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(submission),
    });
  });

  it("turns a refused run, a non-JSON error and a lost connection into a refused verdict", async () => {
    const submission = { inputs: [], claimedScore: 5 };
    answerWith(
      Response.json(
        { ok: false, code: "score_mismatch", reason: "The run replays to 4 points." },
        { status: 422 },
      ),
    );
    expect(await requestVerdict("r1", submission)).toEqual({
      ok: false,
      runId: "r1",
      code: "score_mismatch",
      reason: "The run replays to 4 points.",
    });
    answerWith(new Response("Forbidden", { status: 403 }));
    expect(await requestVerdict("r1", submission)).toEqual({
      ok: false,
      runId: "r1",
      code: "403",
      reason: "The server could not check this run.",
    });
    answerWith(new TypeError("Failed to fetch"));
    expect(await requestVerdict("r1", submission)).toEqual({
      ok: false,
      runId: "r1",
      code: "network",
      reason: "Could not reach Tributary to check this run.",
    });
  });
});
