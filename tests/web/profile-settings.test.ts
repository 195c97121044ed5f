import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testImage } from "#tests/core/profiles/images.ts";
import { createUser } from "#tests/support/factories.ts";
import { readHtml, TestClient } from "#tests/support/http-client.ts";
import { testBackends } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

// The profile settings page as a browser without JavaScript uses it: plain form posts.

async function signedInClient(server: TestServer) {
  const { user, password } = await createUser(server.db);
  const client = new TestClient(server.url);
  const response = await client.postForm("/signin", { email: user.email, password });
  if (response.status !== 302) throw new Error(`sign-in failed: ${response.status}`);
  return { client, user };
}

function avatarForm(file: { bytes: Uint8Array; type: string; name: string }): FormData {
  const form = new FormData();
  form.set("intent", "upload-avatar");
  form.set(
    "avatar",
    new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.type }),
    file.name,
  );
  return form;
}

describe.each(testBackends())("the profile settings page without JavaScript on %s", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  it("sends a visitor who is not signed in to sign in first", async () => {
    const response = await new TestClient(server.url).get("/settings/profile");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/signin?redirectTo=%2Fsettings%2Fprofile");
  });

  it("saves name, bio and showing earnings; shows field errors next to the fields", async () => {
    const { client, user } = await signedInClient(server);
    const page = await readHtml(await client.get("/settings/profile"));
    expect(page).toContain(`src="/avatars/${user.id}.svg"`);
    expect(page).toMatch(/enctype="multipart\/form-data"/i);

    const saved = await client.postForm("/settings/profile", {
      intent: "update-profile",
      displayName: "Grace Hopper",
      bio: "Admiral <script>alert(1)</script>",
      showsEarnings: "on",
    });
    expect(saved.status).toBe(200);
    const savedHtml = await readHtml(saved);
    expect(savedHtml).toContain("Saved.");
    expect(savedHtml).toContain("Admiral &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(savedHtml).not.toContain("<script>alert(1)</script>");
    const row = await server.db
      .selectFrom("users")
      .select(["display_name", "bio", "shows_earnings"])
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      display_name: "Grace Hopper",
      bio: "Admiral <script>alert(1)</script>",
      shows_earnings: true,
    });

    // An unticked box is not posted: it means "do not show"; an empty bio clears it.
    await client.postForm("/settings/profile", {
      intent: "update-profile",
      displayName: "Grace Hopper",
      bio: "",
    });
    expect(
      await server.db
        .selectFrom("users")
        .select(["bio", "shows_earnings"])
        .where("id", "=", user.id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ bio: "", shows_earnings: false });

    const refused = await client.postForm("/settings/profile", {
      intent: "update-profile",
      displayName: "",
      bio: "b".repeat(300),
    });
    const refusedHtml = await readHtml(refused);
    expect(refusedHtml).toContain("Enter a display name.");
    expect(refusedHtml).toContain("A bio has at most 280 characters (this one has 300).");
    expect(refusedHtml).toMatch(/aria-invalid="true"/);
    expect(
      (
        await server.db
          .selectFrom("users")
          .select("display_name")
          .where("id", "=", user.id)
          .executeTakeFirstOrThrow()
      ).display_name,
    ).toBe("Grace Hopper");
  });

  it("uploads an avatar as a multipart form, shows it from /media, and removes it", async () => {
    const { client, user } = await signedInClient(server);
    const response = await client.request("/settings/profile", {
      method: "POST",
      body: avatarForm({
        bytes: await testImage("png", { width: 300 }),
        type: "image/png",
        name: "me.png",
      }),
    });
    expect(response.status).toBe(200);
    const html = await readHtml(response);
    expect(html).toContain("Your new avatar is saved.");
    const src = html.match(/src="(\/media\/\d+\.webp)"/)?.[1];
    expect(src).toBeDefined();
    const image = await new TestClient(server.url).get(src!);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/webp");

    const removed = await readHtml(
      await client.postForm("/settings/profile", { intent: "remove-avatar" }),
    );
    expect(removed).toContain("Your avatar is removed");
    expect(removed).toContain(`src="/avatars/${user.id}.svg"`);
    expect((await client.get(src!)).status).toBe(404);
  });

  it("accepts a photo of a few megabytes, over the 1 MB limit of other posts", async () => {
    const { client } = await signedInClient(server);
    const bytes = await testImage("png", { width: 900, height: 900, noise: true });
    expect(bytes.byteLength).toBeGreaterThan(2 * 1024 * 1024);
    const response = await client.request("/settings/profile", {
      method: "POST",
      body: avatarForm({ bytes, type: "image/png", name: "big.png" }),
    });
    expect(response.status).toBe(200);
    expect(await readHtml(response)).toContain("Your new avatar is saved.");
    // With JavaScript on, Remix posts the same form to the page's path plus `.data`.
    const withScript = await client.request("/settings/profile.data", {
      method: "POST",
      body: avatarForm({ bytes, type: "image/png", name: "big.png" }),
    });
    expect(withScript.status).toBe(200);
    await withScript.arrayBuffer();
  });

  it("refuses a non-image, an SVG and a missing file with a message next to the file field", async () => {
    const { client, user } = await signedInClient(server);
    const cases = [
      [
        { bytes: new TextEncoder().encode("<html>hi</html>"), type: "image/png", name: "a.png" },
        "The file is not a PNG, JPEG, WebP or GIF image, whatever its name says.",
      ],
      [
        {
          bytes: new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'),
          type: "image/svg+xml",
          name: "a.svg",
        },
        "Upload a PNG, JPEG, WebP or GIF image.",
      ],
      [
        { bytes: new Uint8Array(), type: "application/octet-stream", name: "" },
        "Choose an image to upload.",
      ],
    ] as const;
    for (const [file, message] of cases) {
      const html = await readHtml(
        await client.request("/settings/profile", { method: "POST", body: avatarForm(file) }),
      );
      expect(html).toContain(
        `<ul id="avatar-error" class="text-sm text-red-800"><li>${message}</li>`,
      );
      expect(html).toMatch(
        /id="avatar"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="avatar"/,
      );
    }
    const images = await server.db
      .selectFrom("images")
      .select("id")
      .where("owner_id", "=", user.id)
      .execute();
    expect(images).toEqual([]);
  });

  it("refuses an upload posted from another site", async () => {
    const { client, user } = await signedInClient(server);
    const evil = new TestClient(server.url, "https://evil.example");
    evil.setSessionCookie(client.sessionCookie);
    const response = await evil.request("/settings/profile", {
      method: "POST",
      body: avatarForm({ bytes: await testImage("png"), type: "image/png", name: "a.png" }),
    });
    expect(response.status).toBe(403);
    const images = await server.db
      .selectFrom("images")
      .select("id")
      .where("owner_id", "=", user.id)
      .execute();
    expect(images).toEqual([]);
  });
});
