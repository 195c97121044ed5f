import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRun, submitRun } from "#core/games/game-runs.ts";
import { listRewardRules, updateRewardRule } from "#core/rewards/reward.service.ts";
import { RewardEngine } from "#core/rewards/reward-engine.ts";
import { playTideTiles } from "#game/bots.ts";
import { parseMicro } from "#shared/money.ts";
import { createUser } from "#tests/support/factories.ts";
import { readHtml, TestClient } from "#tests/support/http-client.ts";
import { testBackends } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

/** The markup of the table row marked with `data-testid`, from its opening to its end. */
function row(html: string, testId: string): string {
  const start = html.indexOf(`data-testid="${testId}"`);
  if (start === -1) throw new Error(`no row ${testId} on the page`);
  return html.slice(start, html.indexOf("</tr>", start));
}

/** The exact base units a MicroAmount shows, in order. */
const amountsIn = (html: string) => [...html.matchAll(/<data value="(\d+)"/g)].map((m) => m[1]);

describe.each(testBackends())("How earning works on %s", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  async function signedInAdmin() {
    const { user, password } = await createUser(server.db);
    await server.db
      .updateTable("users")
      .set({ is_admin: true, activated_at: new Date() })
      .where("id", "=", user.id)
      .execute();
    const client = new TestClient(server.url);
    expect((await client.postForm("/signin", { email: user.email, password })).status).toBe(302);
    return { user, client };
  }

  it("is readable signed out and lists every live rule with its amount, under a heading per stream", async () => {
    const response = await new TestClient(server.url).get("/earning");
    expect(response.status).toBe(200);
    const html = await readHtml(response);
    expect(html).toContain("<h1");
    expect(html).toContain("How earning works");
    for (const heading of ["Social", "Games", "Daily habits", "Bonuses"]) {
      expect(html).toMatch(new RegExp(`<h2[^>]*>${heading}</h2>`));
    }
    for (const rule of await listRewardRules(server.db)) {
      expect(amountsIn(row(html, `action-${rule.actionKind}`))).toContain(rule.amount.toString());
    }
    expect(html).toContain('scope="row"');
    expect(html).toContain("pending for 1 day, then yours");
    expect(html).toContain("1 a day from each liker");
    expect(html).toContain("surveys, gigs, referrals and paid replies are coming");
    expect(amountsIn(row(html, "share-river-run:first-finish"))).toEqual([
      parseMicro("0.01").toString(),
    ]);
  });

  it("what an achievement pays is what the page, the game page and the admin page show, before and after an admin edits the rule", async () => {
    const { user: admin, client } = await signedInAdmin();
    const payFirstFinish = async () => {
      const { user } = await createUser(server.db);
      const run = await startRun(server.db, user.id, "tide-tiles", new Date(Date.now() - 600_000));
      if (!run.ok) throw new Error(run.error.message);
      const played = playTideTiles(run.value.seed, 3);
      const verified = await submitRun(
        { db: server.db, rewards: new RewardEngine(server.db) },
        user.id,
        run.value.id,
        { inputs: played.events, claimedScore: played.result.score },
      );
      if (!verified.ok) throw new Error(verified.error.message);
      const first = verified.value.achievements.find(
        (a) => a.achievementId === "tide-tiles:first-finish",
      );
      return first!.reward!.amount.toString();
    };
    const shown = async () => {
      const guide = await readHtml(await new TestClient(server.url).get("/earning"));
      const game = await readHtml(await new TestClient(server.url).get("/games/tide-tiles"));
      const adminPage = await readHtml(await client.get("/admin/rewards"));
      return {
        guide: amountsIn(row(guide, "share-tide-tiles:first-finish"))[0],
        game: amountsIn(game.slice(game.indexOf('data-testid="pays-tide-tiles:first-finish"')))[0],
        admin: amountsIn(row(adminPage, "share-tide-tiles:first-finish"))[0],
      };
    };

    const paid = await payFirstFinish();
    expect(paid).toBe(parseMicro("0.01").toString());
    expect(await shown()).toEqual({ guide: paid, game: paid, admin: paid });

    // The admin page says the rule's amount is the most one reward pays.
    const adminPage = await readHtml(await client.get("/admin/rewards"));
    expect(adminPage).toContain("The amount is the most one reward pays");

    const edited = await updateRewardRule(server.db, admin.id, "game.achievement", {
      amount: parseMicro("0.07"),
    });
    expect(edited.ok).toBe(true);
    try {
      const paidAfter = await payFirstFinish();
      expect(paidAfter).toBe(parseMicro("0.014").toString());
      expect(await shown()).toEqual({ guide: paidAfter, game: paidAfter, admin: paidAfter });
    } finally {
      await updateRewardRule(server.db, admin.id, "game.achievement", {
        amount: parseMicro("0.05"),
      });
    }
  });

  it("the games hub shows a player what this week's quests and the next streak bonus pay", async () => {
    const { user, password } = await createUser(server.db);
    const client = new TestClient(server.url);
    expect((await client.postForm("/signin", { email: user.email, password })).status).toBe(302);
    const html = await readHtml(await client.get("/games"));
    const bonus = html.slice(html.indexOf('data-testid="next-streak-bonus"'));
    // The first milestone (3 days) pays 10% of the 0.1 MICRO streak bonus rule.
    expect(amountsIn(bonus)[0]).toBe(parseMicro("0.01").toString());
    const quests = html.slice(html.indexOf('id="quests-heading"'));
    expect(quests).toMatch(/pays (<!-- -->)?<data value="\d+"/);
    expect(html).toContain('href="/earning#games"');
  });
});
