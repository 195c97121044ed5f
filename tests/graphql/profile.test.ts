import { encodeGlobalID } from "@pothos/plugin-relay";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import { RewardEngine } from "#core/rewards/reward-engine.ts";
import { testImage } from "#tests/core/profiles/images.ts";
import { createUser } from "#tests/support/factories.ts";
import { TestClient } from "#tests/support/http-client.ts";
import { testBackends } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

const PROFILE = /* GraphQL */ `
  query Profile($handle: String!) {
    profile(handle: $handle) {
      id
      handle
      displayName
      bio
      avatarUrl
      followerCount
      followingCount
      postCount
      showsEarnings
      earningStats {
        totalEarned
        rewardCount
      }
    }
  }
`;

const UPDATE_PROFILE = /* GraphQL */ `
  mutation UpdateProfile($input: UpdateProfileInput!) {
    updateProfile(input: $input) {
      __typename
      ... on UpdateProfilePayload {
        user {
          displayName
          bio
          showsEarnings
        }
      }
      ... on ValidationError {
        message
        fieldErrors {
          field
          messages
        }
      }
      ... on Error {
        message
      }
    }
  }
`;

const UPLOAD_AVATAR = /* GraphQL */ `
  mutation UploadAvatar($file: File!) {
    uploadAvatar(file: $file) {
      __typename
      ... on UploadAvatarPayload {
        user {
          handle
          avatarUrl
        }
      }
      ... on InvalidImageError {
        code
      }
      ... on Error {
        message
      }
    }
  }
`;

const REMOVE_AVATAR = /* GraphQL */ `
  mutation {
    removeAvatar {
      __typename
      ... on RemoveAvatarPayload {
        wasRemoved
        user {
          avatarUrl
        }
      }
      ... on Error {
        message
      }
    }
  }
`;

type Result = { __typename: string; message?: string; code?: string } & Record<string, unknown>;
type Upload = { bytes: Uint8Array; type: string; name: string };

async function signedInClient(server: TestServer) {
  const { user, password } = await createUser(server.db);
  const client = new TestClient(server.url);
  const response = await client.postForm("/signin", { email: user.email, password });
  if (response.status !== 302) throw new Error(`sign-in failed: ${response.status}`);
  return { client, user };
}

/** A GraphQL multipart request (the spec graphql-yoga implements) carrying one file. */
function multipartBody(query: string, upload: Upload): FormData {
  const form = new FormData();
  form.set("operations", JSON.stringify({ query, variables: { file: null } }));
  form.set("map", JSON.stringify({ 0: ["variables.file"] }));
  form.set(
    "0",
    new Blob([upload.bytes as Uint8Array<ArrayBuffer>], { type: upload.type }),
    upload.name,
  );
  return form;
}

async function uploadAvatar(client: TestClient, upload: Upload) {
  const response = await client.request("/graphql", {
    method: "POST",
    headers: { accept: "application/json" },
    body: multipartBody(UPLOAD_AVATAR, upload),
  });
  const body = (await response.json()) as { data?: { uploadAvatar: Result }; errors?: unknown };
  if (!body.data) throw new Error(`uploadAvatar: ${response.status} ${JSON.stringify(body)}`);
  return body.data.uploadAvatar;
}

describe.each(testBackends())("GraphQL profiles on %s", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  it("profile(handle) shows the public profile with an identicon; null for unknown and hidden users", async () => {
    const { user } = await createUser(server.db, { displayName: "Ada" });
    const anonymous = new TestClient(server.url);
    const { body } = await anonymous.graphql<{ profile: Record<string, unknown> | null }>(PROFILE, {
      handle: `@${user.handle}`,
    });
    expect(body.data?.profile).toEqual({
      id: encodeGlobalID("User", user.id),
      handle: user.handle,
      displayName: "Ada",
      bio: "",
      avatarUrl: `/avatars/${user.id}.svg`,
      followerCount: 0,
      followingCount: 0,
      postCount: 0,
      showsEarnings: false,
      earningStats: null,
    });
    const missing = await anonymous.graphql<{ profile: null }>(PROFILE, { handle: "no_such_user" });
    expect(missing.body).toEqual({ data: { profile: null } });

    await server.db
      .updateTable("users")
      .set({ hidden_at: new Date() })
      .where("id", "=", user.id)
      .execute();
    const hidden = await anonymous.graphql<{ profile: null }>(PROFILE, { handle: user.handle });
    expect(hidden.body).toEqual({ data: { profile: null } });
  });

  it("updateProfile changes only the viewer's own profile, partially, with field errors for bad input", async () => {
    const alice = await signedInClient(server);
    const bob = await signedInClient(server);
    const changed = await alice.client.graphql<{ updateProfile: Result }>(UPDATE_PROFILE, {
      input: { displayName: "Alice Liddell", bio: "Curiouser and curiouser.", showsEarnings: true },
    });
    expect(changed.body.data?.updateProfile).toEqual({
      __typename: "UpdateProfilePayload",
      user: { displayName: "Alice Liddell", bio: "Curiouser and curiouser.", showsEarnings: true },
    });
    const partial = await alice.client.graphql<{ updateProfile: Result }>(UPDATE_PROFILE, {
      input: { bio: null, showsEarnings: false },
    });
    expect(partial.body.data?.updateProfile).toMatchObject({
      user: { displayName: "Alice Liddell", bio: "Curiouser and curiouser.", showsEarnings: false },
    });

    const bad = await alice.client.graphql<{ updateProfile: Result }>(UPDATE_PROFILE, {
      input: { displayName: "", bio: "x".repeat(300) },
    });
    expect(bad.body.data?.updateProfile).toEqual({
      __typename: "ValidationError",
      message: "Enter a display name.",
      fieldErrors: [
        { field: "displayName", messages: ["Enter a display name."] },
        { field: "bio", messages: ["A bio has at most 280 characters (this one has 300)."] },
      ],
    });

    // Bob's session changes Bob; there is no way to name another user.
    await bob.client.graphql(UPDATE_PROFILE, { input: { displayName: "Mallory", bio: "pwned" } });
    const aliceNow = await bob.client.graphql<{ profile: { displayName: string; bio: string } }>(
      PROFILE,
      { handle: alice.user.handle },
    );
    expect(aliceNow.body.data?.profile).toMatchObject({
      displayName: "Alice Liddell",
      bio: "Curiouser and curiouser.",
    });

    const anonymous = await new TestClient(server.url).graphql<{ updateProfile: Result }>(
      UPDATE_PROFILE,
      { input: { bio: "hello" } },
    );
    expect(anonymous.body.data?.updateProfile).toEqual({
      __typename: "NotSignedInError",
      message: "Sign in first.",
    });
  });

  it("uploadAvatar takes a multipart upload, stores a 256×256 WebP served from /media, and removeAvatar deletes it", async () => {
    const { client, user } = await signedInClient(server);
    const uploaded = await uploadAvatar(client, {
      bytes: await testImage("jpeg", { width: 1200, height: 800 }),
      type: "image/jpeg",
      name: "holiday.jpg",
    });
    expect(uploaded.__typename).toBe("UploadAvatarPayload");
    const avatarUrl = (uploaded.user as { avatarUrl: string }).avatarUrl;
    expect(avatarUrl).toMatch(/^\/media\/\d+\.webp$/);

    const anonymous = new TestClient(server.url);
    const image = await anonymous.get(avatarUrl);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/webp");
    expect(image.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(image.headers.get("x-content-type-options")).toBe("nosniff");
    const metadata = await sharp(Buffer.from(await image.arrayBuffer())).metadata();
    expect(metadata).toMatchObject({ format: "webp", width: 256, height: 256 });
    expect(metadata.exif).toBeUndefined();

    const profile = await anonymous.graphql<{ profile: { avatarUrl: string } }>(PROFILE, {
      handle: user.handle,
    });
    expect(profile.body.data?.profile.avatarUrl).toBe(avatarUrl);

    const removed = await client.graphql<{ removeAvatar: Result }>(REMOVE_AVATAR);
    expect(removed.body.data?.removeAvatar).toEqual({
      __typename: "RemoveAvatarPayload",
      wasRemoved: true,
      user: { avatarUrl: `/avatars/${user.id}.svg` },
    });
    expect((await anonymous.get(avatarUrl)).status).toBe(404);
    const again = await client.graphql<{ removeAvatar: Result }>(REMOVE_AVATAR);
    expect(again.body.data?.removeAvatar).toMatchObject({ wasRemoved: false });
  });

  it("uploadAvatar refuses what is not an acceptable image with a typed error, and needs a session", async () => {
    const { client } = await signedInClient(server);
    const html = new TextEncoder().encode("<!doctype html><script>alert(document.cookie)</script>");
    const svg = new TextEncoder().encode(
      '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    );
    for (const [upload, code] of [
      [{ bytes: html, type: "image/png", name: "cat.png" }, "NOT_AN_IMAGE"],
      [{ bytes: svg, type: "image/svg+xml", name: "logo.svg" }, "UNSUPPORTED_TYPE"],
      [{ bytes: html, type: "text/html", name: "page.html" }, "UNSUPPORTED_TYPE"],
      [{ bytes: await testImage("png"), type: "image/gif", name: "x.gif" }, "TYPE_MISMATCH"],
      [{ bytes: new Uint8Array(), type: "image/png", name: "empty.png" }, "EMPTY"],
    ] as const) {
      const result = await uploadAvatar(client, upload);
      expect(result.__typename, upload.name).toBe("InvalidImageError");
      expect(result.code, upload.name).toBe(code);
      expect(result.message).toEqual(expect.any(String));
    }
    const viewer = await client.graphql<{ viewer: { avatarUrl: string } }>(
      `{ viewer { avatarUrl } }`,
    );
    expect(viewer.body.data?.viewer.avatarUrl).toMatch(/^\/avatars\//);

    const anonymous = await uploadAvatar(new TestClient(server.url), {
      bytes: await testImage("png"),
      type: "image/png",
      name: "a.png",
    });
    expect(anonymous.__typename).toBe("NotSignedInError");
  });

  it("refuses an upload from another origin with 403 and stores nothing", async () => {
    const { client, user } = await signedInClient(server);
    const evil = new TestClient(server.url, "https://evil.example");
    evil.setSessionCookie(client.sessionCookie);
    const response = await evil.request("/graphql", {
      method: "POST",
      body: multipartBody(UPLOAD_AVATAR, {
        bytes: await testImage("png"),
        type: "image/png",
        name: "a.png",
      }),
    });
    expect(response.status).toBe(403);
    const images = await server.db
      .selectFrom("images")
      .select("id")
      .where("owner_id", "=", user.id)
      .execute();
    expect(images).toEqual([]);
  });

  it("earningStats are null until the user opts in, then anyone sees them", async () => {
    const { client, user } = await signedInClient(server);
    const engine = new RewardEngine(server.db);
    const reward = await engine.reward({
      actionKind: "account.welcome",
      userId: user.id,
      causeId: `welcome-${user.id}`,
      memo: "Welcome",
    });
    if (!reward.ok) throw new Error(reward.error.message);
    const anonymous = new TestClient(server.url);
    const stats = async () =>
      (
        await anonymous.graphql<{ profile: { earningStats: unknown; showsEarnings: boolean } }>(
          PROFILE,
          { handle: user.handle },
        )
      ).body.data?.profile;
    expect(await stats()).toMatchObject({ showsEarnings: false, earningStats: null });
    await client.graphql(UPDATE_PROFILE, { input: { showsEarnings: true } });
    expect(await stats()).toMatchObject({
      showsEarnings: true,
      earningStats: { totalEarned: reward.value.amount.toString(), rewardCount: 1 },
    });
  });

  it("profile fields of 50 users cost a constant number of queries", async () => {
    const users: UserId[] = [];
    for (let i = 0; i < 50; i += 1) users.push((await createUser(server.db)).user.id);
    await server.db
      .updateTable("users")
      .set({ shows_earnings: true })
      .where("id", "in", users.slice(0, 25))
      .execute();
    const query = `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on User {
      handle bio avatarUrl followerCount followingCount postCount showsEarnings
      earningStats { totalEarned rewardCount } } } }`;
    const ids = users.map((id) => encodeGlobalID("User", id));

    const original = server.services.db;
    let queries = 0;
    server.services.db = original.withPlugin({
      transformQuery: (args) => {
        queries += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    let body;
    try {
      ({ body } = await new TestClient(server.url).graphql<{ nodes: { bio: string }[] }>(query, {
        ids,
      }));
    } finally {
      server.services.db = original;
    }
    expect(body.errors).toBeUndefined();
    expect(body.data?.nodes).toHaveLength(50);
    // The users, their profiles, their earning stats: three queries, not 150.
    expect(queries).toBeGreaterThan(0);
    expect(queries).toBeLessThanOrEqual(3);
  });

  it("serves identicons as SVG with a long cache, and 404s for malformed ids", async () => {
    const { user } = await createUser(server.db);
    const anonymous = new TestClient(server.url);
    const svg = await anonymous.get(`/avatars/${user.id}.svg`);
    expect(svg.status).toBe(200);
    expect(svg.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    expect(svg.headers.get("x-content-type-options")).toBe("nosniff");
    expect(svg.headers.get("cache-control")).toMatch(/^public, max-age=\d{7,}/);
    const text = await svg.text();
    expect(text).toMatch(/^<svg /);
    expect(await (await anonymous.get(`/avatars/${user.id}.svg`)).text()).toBe(text);
    for (const path of [
      "/avatars/not-a-user.svg",
      "/avatars/%3Cscript%3E.svg",
      "/media/abc",
      "/media/0",
      "/media/99999999999999999999.webp",
      "/media/123456789.webp",
    ]) {
      expect((await anonymous.get(path)).status, path).toBe(404);
    }
  });
});
