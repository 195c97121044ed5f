import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import {
  getEarningStats,
  getEarningStatsByIds,
  getOwnProfile,
  getProfileByHandle,
  getProfilesByIds,
  getServableImage,
  removeAvatar,
  setAvatar,
  updateProfile,
} from "#core/profiles/profile.service.ts";
import { RewardEngine } from "#core/rewards/reward-engine.ts";
import { reverseReward } from "#core/rewards/reward.service.ts";
import { rewardKey } from "#core/rewards/reward-types.ts";
import { createUser } from "#tests/support/factories.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";
import { testImage } from "./images.ts";

describe.each(testBackends())("profiles on %s", (backend) => {
  let testDb: TestDb;
  let db: TestDb["db"];
  beforeAll(async () => {
    testDb = await openTestDb(backend);
    db = testDb.db;
  });
  afterAll(() => testDb.close());

  const imageCount = async (ownerId: UserId) =>
    Number(
      (
        await db
          .selectFrom("images")
          .select((eb) => eb.fn.countAll<string>().as("n"))
          .where("owner_id", "=", ownerId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it("reads a profile by handle, with an identicon until an avatar is uploaded", async () => {
    const { user } = await createUser(db, { displayName: "Ada Lovelace" });
    const profile = await getProfileByHandle(db, `@${user.handle.toUpperCase()}`);
    expect(profile).toEqual({
      id: user.id,
      handle: user.handle,
      displayName: "Ada Lovelace",
      bio: "",
      avatarUrl: `/avatars/${user.id}.svg`,
      hasUploadedAvatar: false,
      followerCount: 0,
      followingCount: 0,
      postCount: 0,
      showsEarnings: false,
      createdAt: user.createdAt,
    });
    expect(await getProfileByHandle(db, "nobody_here")).toBeNull();
    expect(await getProfileByHandle(db, "not a handle; drop table users")).toBeNull();
  });

  it("loads many profiles in order in one query, null for unknown, malformed and hidden users", async () => {
    const [a, b, hidden] = await Promise.all([createUser(db), createUser(db), createUser(db)]);
    await db
      .updateTable("users")
      .set({ hidden_at: new Date() })
      .where("id", "=", hidden.user.id)
      .execute();
    let queries = 0;
    const counted = db.withPlugin({
      transformQuery: (args) => {
        queries += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const profiles = await getProfilesByIds(counted, [
      b.user.id,
      "00000000-0000-4000-8000-000000000000",
      a.user.id,
      "not-a-uuid",
      hidden.user.id,
      b.user.id,
    ]);
    expect(queries).toBe(1);
    expect(profiles.map((p) => p?.handle ?? null)).toEqual([
      b.user.handle,
      null,
      a.user.handle,
      null,
      null,
      b.user.handle,
    ]);
    expect(await getProfileByHandle(db, hidden.user.handle)).toBeNull();
    // The user themself still sees their own profile (e.g. on the settings page).
    expect((await getOwnProfile(db, hidden.user.id)).handle).toBe(hidden.user.handle);
  });

  it("updates display name, bio and showing earnings; fields left out stay", async () => {
    const { user } = await createUser(db);
    const result = await updateProfile(db, user.id, {
      displayName: "  Grace   Hopper ",
      bio: "Wrote the first compiler.\r\n\r\n\r\n\tLikes nanoseconds.   ",
      showsEarnings: true,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({
      displayName: "Grace Hopper",
      bio: "Wrote the first compiler.\n\n Likes nanoseconds.",
      showsEarnings: true,
    });
    const partial = await updateProfile(db, user.id, { bio: "" });
    expect(partial.ok && partial.value).toMatchObject({
      displayName: "Grace Hopper",
      bio: "",
      showsEarnings: true,
    });
    expect((await getProfileByHandle(db, user.handle))?.bio).toBe("");
  });

  it("refuses a bad display name or bio with field errors and writes nothing", async () => {
    const { user } = await createUser(db, { displayName: "Original Name" });
    const cases = [
      [{ displayName: "   " }, "displayName", "Enter a display name."],
      [{ displayName: "x".repeat(51) }, "displayName", "A display name has at most 50 characters."],
      [{ bio: "b".repeat(281) }, "bio", "A bio has at most 280 characters (this one has 281)."],
      [
        { bio: "evil\u202Etxt.exe" },
        "bio",
        "A bio cannot contain control or text-direction characters.",
      ],
      [{ bio: "bell\u0007" }, "bio", "A bio cannot contain control or text-direction characters."],
    ] as const;
    for (const [input, field, message] of cases) {
      const result = await updateProfile(db, user.id, { ...input, showsEarnings: true });
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.error).toEqual({
        kind: "validation",
        message,
        fieldErrors: { [field]: [message] },
      });
    }
    // 280 characters counted as people count them: emoji are one each.
    const emojiBio = "🌊".repeat(280);
    const accepted = await updateProfile(db, user.id, { bio: emojiBio });
    expect(accepted.ok && accepted.value.bio).toBe(emojiBio);
    const profile = await getOwnProfile(db, user.id);
    expect(profile).toMatchObject({ displayName: "Original Name", showsEarnings: false });
  });

  it("one user's changes never touch another user's profile or images", async () => {
    const alice = (await createUser(db, { displayName: "Alice" })).user;
    const bob = (await createUser(db, { displayName: "Bob" })).user;
    const aliceAvatar = await setAvatar(db, alice.id, {
      bytes: await testImage("png"),
      contentType: "image/png",
    });
    expect(aliceAvatar.ok).toBe(true);
    await updateProfile(db, bob.id, { displayName: "Mallory", bio: "owned" });
    await setAvatar(db, bob.id, { bytes: await testImage("jpeg"), contentType: "image/jpeg" });
    await removeAvatar(db, bob.id);
    const after = await getOwnProfile(db, alice.id);
    expect(after).toMatchObject({
      displayName: "Alice",
      bio: "",
      hasUploadedAvatar: true,
      avatarUrl: aliceAvatar.ok ? aliceAvatar.value.avatarUrl : "",
    });
    expect(await imageCount(alice.id)).toBe(1);
    expect(await imageCount(bob.id)).toBe(0);
  });

  it("stores an uploaded avatar as a 256×256 WebP, replaces the old one, and removes it", async () => {
    const { user } = await createUser(db);
    const first = await setAvatar(db, user.id, {
      bytes: await testImage("png", { width: 800, height: 600 }),
      contentType: "image/png",
    });
    if (!first.ok) throw new Error(first.error.message);
    expect(first.value.avatarUrl).toMatch(/^\/media\/\d+\.webp$/);
    expect(first.value.hasUploadedAvatar).toBe(true);
    const firstName = first.value.avatarUrl.replace("/media/", "");
    const served = await getServableImage(db, firstName);
    expect(served?.contentType).toBe("image/webp");
    expect(Buffer.from(served!.bytes).subarray(8, 12).toString("ascii")).toBe("WEBP");

    const second = await setAvatar(db, user.id, {
      bytes: await testImage("webp"),
      contentType: "image/webp",
    });
    if (!second.ok) throw new Error(second.error.message);
    expect(second.value.avatarUrl).not.toBe(first.value.avatarUrl);
    expect(await getServableImage(db, firstName)).toBeNull();
    expect(await imageCount(user.id)).toBe(1);

    const removed = await removeAvatar(db, user.id);
    expect(removed.wasRemoved).toBe(true);
    expect(removed.profile.avatarUrl).toBe(`/avatars/${user.id}.svg`);
    expect(await imageCount(user.id)).toBe(0);
    expect((await removeAvatar(db, user.id)).wasRemoved).toBe(false);
  });

  it("two uploads at once leave exactly one image, the one the profile points to", async () => {
    const { user } = await createUser(db);
    const [png, jpeg] = await Promise.all([testImage("png"), testImage("jpeg")]);
    const results = await Promise.all([
      setAvatar(db, user.id, { bytes: png, contentType: "image/png" }),
      setAvatar(db, user.id, { bytes: jpeg, contentType: "image/jpeg" }),
    ]);
    expect(results.every((result) => result.ok)).toBe(true);
    const profile = await getOwnProfile(db, user.id);
    const [image] = await db
      .selectFrom("images")
      .select("id")
      .where("owner_id", "=", user.id)
      .execute();
    expect(await imageCount(user.id)).toBe(1);
    expect(profile.avatarUrl).toBe(`/media/${image!.id}.webp`);
  });

  it("a refused upload leaves the current avatar as it was", async () => {
    const { user } = await createUser(db);
    const first = await setAvatar(db, user.id, {
      bytes: await testImage("png"),
      contentType: "image/png",
    });
    const html = new TextEncoder().encode("<html><script>alert(1)</script></html>");
    const refused = await setAvatar(db, user.id, { bytes: html, contentType: "image/png" });
    expect(refused).toMatchObject({ ok: false, error: { code: "not_an_image" } });
    expect((await getOwnProfile(db, user.id)).avatarUrl).toBe(first.ok && first.value.avatarUrl);
    expect(await imageCount(user.id)).toBe(1);
  });

  it("serves images by id only when the id is well formed, the extension matches and the owner is visible", async () => {
    const { user } = await createUser(db);
    const set = await setAvatar(db, user.id, {
      bytes: await testImage("png"),
      contentType: "image/png",
    });
    if (!set.ok) throw new Error(set.error.message);
    const id = set.value.avatarUrl.match(/\/media\/(\d+)\.webp/)![1]!;
    expect(await getServableImage(db, id)).not.toBeNull();
    expect(await getServableImage(db, `${id}.webp`)).not.toBeNull();
    for (const name of [
      `${id}.png`,
      `${id}.svg`,
      `0${id}`,
      "0",
      "-1",
      "99999999999999999999",
      "9223372036854775808",
      "9223372036854775807",
      "abc",
      `${id};drop table images`,
    ]) {
      expect(await getServableImage(db, name), name).toBeNull();
    }
    await db
      .updateTable("users")
      .set({ hidden_at: new Date() })
      .where("id", "=", user.id)
      .execute();
    expect(await getServableImage(db, id)).toBeNull();
  });

  it("earning stats are hidden unless the user opts in, and count only rewards not refused or reversed", async () => {
    const { user } = await createUser(db);
    await db
      .updateTable("users")
      .set({ created_at: new Date(Date.now() - 30 * 86_400_000) })
      .where("id", "=", user.id)
      .execute();
    const engine = new RewardEngine(db);
    const outcomes = [];
    for (const [actionKind, causeId] of [
      ["account.welcome", `welcome-${user.id}`],
      ["account.welcome", `welcome-again-${user.id}`], // over the daily cap of 1: refused
      ["post.created", `post-1-${user.id}`],
      ["post.created", `post-2-${user.id}`],
      ["post.created", `post-3-${user.id}`],
    ] as const) {
      const result = await engine.reward({ actionKind, userId: user.id, causeId, memo: "test" });
      if (!result.ok) throw new Error(result.error.message);
      outcomes.push(result.value);
    }
    expect(outcomes.map((o) => o.status)).toContain("refused");
    const reversed = await reverseReward(db, rewardKey("post.created", `post-3-${user.id}`));
    expect(reversed.ok && reversed.value.status).toBe("reversed");

    expect(await getEarningStats(db, user.id)).toBeNull();
    await updateProfile(db, user.id, { showsEarnings: true });

    const counted = outcomes.filter(
      (o) => o.status !== "refused" && o.rewardId !== (reversed.ok && reversed.value.rewardId),
    );
    expect(counted).toHaveLength(3);
    const stats = await getEarningStats(db, user.id);
    expect(stats).toEqual({
      totalEarned: counted.reduce((sum, o) => sum + o.amount, 0n),
      rewardCount: 3,
    });

    const quiet = (await createUser(db)).user;
    const fresh = (await createUser(db)).user;
    await updateProfile(db, fresh.id, { showsEarnings: true });
    expect(await getEarningStatsByIds(db, [quiet.id, user.id, fresh.id, "nope"])).toEqual([
      null,
      stats,
      { totalEarned: 0n, rewardCount: 0 },
      null,
    ]);

    await updateProfile(db, user.id, { showsEarnings: false });
    expect(await getEarningStats(db, user.id)).toBeNull();
  });
});
