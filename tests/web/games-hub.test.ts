import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RewardEngine } from "#core/rewards/reward-engine.ts";
import { startRun, submitRun } from "#core/games/game-runs.ts";
import { playRapidsRhythm } from "#game/bots.ts";
import { createUser } from "#tests/support/factories.ts";
import { readHtml, TestClient } from "#tests/support/http-client.ts";
import { testBackends } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

const tenMinutesAgo = () => new Date(Date.now() - 10 * 60_000);

describe.each(testBackends())("the games hub on %s", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  it("shows a visitor the games and invites them to sign in", async () => {
    const response = await new TestClient(server.url).get("/games");
    expect(response.status).toBe(200);
    const html = await readHtml(response);
    for (const title of ["River Run", "Tide Tiles", "Rapids Rhythm"]) expect(html).toContain(title);
    expect(html).toContain('href="/games/river-run"');
    expect(html).toContain("to play for rewards");
    expect(html).not.toContain("Daily streak");
  });

  it("shows a player their level, streak, quests and the achievement a verified run earned", async () => {
    const { user, password } = await createUser(server.db);
    // Issued ten minutes ago: a run is not accepted before its time has passed.
    const run = await startRun(server.db, user.id, "rapids-rhythm", tenMinutesAgo());
    if (!run.ok) throw new Error(run.error.message);
    const played = playRapidsRhythm(run.value.seed);
    const verified = await submitRun(
      { db: server.db, rewards: new RewardEngine(server.db) },
      user.id,
      run.value.id,
      { inputs: played.events, claimedScore: played.result.score },
    );
    expect(verified.ok).toBe(true);

    const client = new TestClient(server.url);
    expect((await client.postForm("/signin", { email: user.email, password })).status).toBe(302);
    const html = await readHtml(await client.get("/games"));
    expect(html).toContain("Level");
    expect(html).toContain("Daily streak");
    expect(html).toContain("This week&#x27;s quests");
    expect(html).toContain("First finish");
    expect(html).toMatch(/role="progressbar"/);
  });

  it("refuses a cross-site post to start or submit a run before it reaches the game routes", async () => {
    const { user, password } = await createUser(server.db);
    const client = new TestClient(server.url);
    expect((await client.postForm("/signin", { email: user.email, password })).status).toBe(302);
    const evil = new TestClient(server.url, "https://evil.example");
    evil.setSessionCookie(client.sessionCookie);
    const refusal = "Forbidden: this request did not come from Tributary's own pages.";

    const start = await evil.request("/games/rapids-rhythm/runs", {
      method: "POST",
      headers: { accept: "application/json" },
    });
    expect(start.status).toBe(403);
    expect(await start.text()).toBe(refusal);

    // Issued ten minutes ago: a run is not accepted before its time has passed.
    const run = await startRun(server.db, user.id, "rapids-rhythm", tenMinutesAgo());
    if (!run.ok) throw new Error(run.error.message);
    const played = playRapidsRhythm(run.value.seed);
    const body = JSON.stringify({ inputs: played.events, claimedScore: played.result.score });
    const submit = await evil.request(`/games/runs/${run.value.id}`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body,
    });
    expect(submit.status).toBe(403);
    expect(await submit.text()).toBe(refusal);

    // The refused post used nothing up: the player's own page can still submit the run.
    const own = await client.request(`/games/runs/${run.value.id}`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body,
    });
    expect(own.status).toBe(200);
    expect(await own.json()).toMatchObject({ ok: true, score: played.result.score });
  });
});
