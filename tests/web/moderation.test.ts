import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { report } from "#core/social/moderation.ts";
import { createUser } from "#tests/support/factories.ts";
import { readHtml, TestClient } from "#tests/support/http-client.ts";
import { testBackends } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

describe.each(testBackends())("the moderation page on %s", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  async function signedIn(options: { isAdmin?: boolean } = {}) {
    const { user, password } = await createUser(server.db);
    if (options.isAdmin) {
      await server.db
        .updateTable("users")
        .set({ is_admin: true })
        .where("id", "=", user.id)
        .execute();
    }
    const client = new TestClient(server.url);
    expect((await client.postForm("/signin", { email: user.email, password })).status).toBe(302);
    return { client, user };
  }

  it("is not found for members, before and after a decision is posted", async () => {
    const { client } = await signedIn();
    expect((await client.get("/admin/moderation")).status).toBe(404);
    const post = await client.postForm("/admin/moderation", { reportId: "1", decision: "dismiss" });
    expect(post.status).toBe(404);
  });

  it("an admin's decision with too long a note is refused with the message and the note kept, without JavaScript", async () => {
    const admin = await signedIn({ isAdmin: true });
    const reporter = await signedIn();
    const filed = await report(
      server.db,
      reporter.user.id,
      { kind: "user", id: admin.user.id },
      "Testing the form",
    );
    if (!filed.ok) throw new Error(filed.error.message);
    const reportId = String(filed.value.id);
    const note = "n".repeat(501);

    const refused = await admin.client.postForm("/admin/moderation", {
      reportId,
      decision: "dismiss",
      note,
    });
    expect(refused.status).toBe(400);
    const html = await readHtml(refused);
    expect(html).toContain("A note has at most 500 characters.");
    expect(html).toContain(`>${note}</textarea>`);
    expect(html).toContain(`data-testid="report-${reportId}"`);

    const dismissed = await admin.client.postForm("/admin/moderation", {
      reportId,
      decision: "dismiss",
      note: "Fine.",
    });
    expect(dismissed.status).toBe(200);
    const after = await readHtml(dismissed);
    expect(after).toContain(`Report ${reportId}: dismissed.`);
    expect(after).not.toContain(`data-testid="report-${reportId}"`);
  });
});
