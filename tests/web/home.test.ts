import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkIn } from "#core/rewards/check-in.ts";
import { STREAMS_COMING_SOON } from "#core/rewards/earning-guide.ts";
import { createUser } from "#tests/support/factories.ts";
import { readHtml, TestClient } from "#tests/support/http-client.ts";
import { testBackends } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

/** The text of an element marked with `data-testid`, tags dropped and spaces folded. */
function section(html: string, testId: string): string {
  const start = html.indexOf(`data-testid="${testId}"`);
  if (start < 0) throw new Error(`no ${testId} on the home page`);
  const end = html.indexOf("</section>", start);
  return html
    .slice(start, end)
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, " ");
}

describe.each(testBackends())("the home page on %s", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  /** An established, activated member, signed in through the form. */
  async function signedIn() {
    const { user, password } = await createUser(server.db);
    const joined = new Date(Date.now() - 30 * 86_400_000);
    await server.db
      .updateTable("users")
      .set({ created_at: joined, activated_at: joined, email_verified_at: joined })
      .where("id", "=", user.id)
      .execute();
    const client = new TestClient(server.url);
    expect((await client.postForm("/signin", { email: user.email, password })).status).toBe(302);
    return { client, user };
  }

  it("shows a visitor the streams that pay, says what is coming soon, and links how earning works", async () => {
    const response = await new TestClient(server.url).get("/");
    expect(response.status).toBe(200);
    const html = await readHtml(response);
    expect(html).toContain("Be a producer, not a product.");
    expect(html).toContain('href="/earning"');
    expect(html).toContain('href="/signup"');
    expect(html).not.toContain("Answer surveys and gigs");
    const comingSoon = section(html, "coming-soon");
    for (const stream of STREAMS_COMING_SOON) expect(comingSoon).toContain(stream);
    expect(comingSoon).toContain("They do not pay yet");
  });

  it("shows a member the reward just earned, the streak, the stream table and what to do next", async () => {
    const { client, user } = await signedIn();
    const paid = await checkIn(server.services.rewards, user.id);
    if (!paid.ok) throw new Error(paid.error.message);

    const response = await client.get("/");
    expect(response.status).toBe(200);
    const html = await readHtml(response);
    expect(html).not.toContain("Nothing here yet");
    expect(html).toContain('href="/earning"');

    const rewards = section(html, "recent-rewards");
    expect(rewards).toContain("Daily check-in");
    expect(rewards).toContain("Daily habits");
    expect(html).toMatch(/data-testid="recent-rewards"[\s\S]*href="\/wallet"/);

    expect(section(html, "home-streak")).toContain("1 day");
    expect(section(html, "home-streak")).toContain("Today counts already.");

    const table = html.slice(html.indexOf('data-testid="earnings-by-stream-table"'));
    expect(table).toMatch(/<th scope="row">Daily habits<\/th><td>.*?<data value="[1-9]\d*"/s);
    expect(html).toMatch(/<div aria-hidden="true">/);

    const next = section(html, "next-steps");
    expect(next).not.toContain("Check in for today");
    expect(next).toContain("Play ");
    expect(html).toMatch(/data-step="play_game"[^>]*>\s*<a[^>]+href="\/games\/[a-z-]+"/);
    expect(section(html, "home-quests")).toMatch(/Pays \S+ MICRO/);
  });

  it("invites a member with nothing earned yet to check in first", async () => {
    const { client } = await signedIn();
    const html = await readHtml(await client.get("/"));
    expect(section(html, "recent-rewards")).toContain("No rewards yet.");
    expect(section(html, "earnings-by-stream")).toContain("Nothing earned in the last seven days");
    expect(html).toMatch(/data-step="check_in"[^>]*>\s*<a[^>]+href="\/wallet"/);
    expect(section(html, "home-streak")).toContain("0 days");
  });
});
