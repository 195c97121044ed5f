import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, earnTrustLevel1 } from "#tests/support/factories.ts";
import { readHtml, TestClient } from "#tests/support/http-client.ts";
import { testBackends } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

describe.each(testBackends())("links in posts and comments from the web forms on %s", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  async function signedIn(email: string, password: string): Promise<TestClient> {
    const client = new TestClient(server.url);
    expect((await client.postForm("/signin", { email, password })).status).toBe(302);
    return client;
  }

  it("a new person's link is refused with the reason under the field and nothing is written; with trust level 1 it posts", async () => {
    const { user, password } = await createUser(server.db);
    const client = await signedIn(user.email, password);
    const body = "Free MICRO at https://spam.example/claim";
    const postCount = async () =>
      (await server.db.selectFrom("posts").select("id").where("author_id", "=", user.id).execute())
        .length;

    // Without JavaScript: the form posts, the page comes back with the message and the text.
    const refused = await client.postForm("/feed", { intent: "post", body });
    expect(refused.status).toBe(400);
    const html = await readHtml(refused);
    expect(html).toContain("Links unlock at trust level 1 (basic); still to do: member for 1 day;");
    expect(html).toContain(body);
    expect(await postCount()).toBe(0);

    await earnTrustLevel1(server.db, user.id);
    const posted = await client.postForm("/feed", { intent: "post", body });
    expect(posted.status).toBe(302);
    expect(posted.headers.get("location")).toMatch(/^\/feed\?tab=following#post-\d+$/);
    expect(await postCount()).toBe(1);
  });

  it("a new person's comment with a link is refused the same way on the post's page; with trust level 1 it is published", async () => {
    const author = await createUser(server.db);
    const { user, password } = await createUser(server.db);
    const authorClient = await signedIn(author.user.email, author.password);
    const posted = await authorClient.postForm("/feed", { intent: "post", body: "Any tips?" });
    const postId = /#post-(\d+)$/.exec(posted.headers.get("location") ?? "")?.[1];
    if (!postId) throw new Error(`no post id in ${posted.headers.get("location")}`);
    const client = await signedIn(user.email, password);
    const body = "Tips at https://spam.example/tips";
    const commentCount = async () =>
      (
        await server.db
          .selectFrom("comments")
          .select("id")
          .where("author_id", "=", user.id)
          .execute()
      ).length;

    const refused = await client.postForm(`/p/${postId}`, { intent: "comment", body });
    expect(refused.status).toBe(400);
    const html = await readHtml(refused);
    expect(html).toContain("Links unlock at trust level 1 (basic)");
    expect(html).toContain(body);
    expect(await commentCount()).toBe(0);

    await earnTrustLevel1(server.db, user.id);
    const published = await client.postForm(`/p/${postId}`, { intent: "comment", body });
    expect(published.status).toBe(303);
    expect(await commentCount()).toBe(1);
  });
});
