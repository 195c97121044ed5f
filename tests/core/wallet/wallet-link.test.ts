import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import { validateSessionToken } from "#core/auth/session.service.ts";
import type { SiweExpectations } from "#core/wallet/siwe.ts";
import {
  getLinkedWallet,
  issueSiweNonce,
  linkWallet,
  listActiveWalletLinks,
  listWalletLinkHistory,
  signInWithEthereum,
  unlinkWallet,
  type IssuedNonce,
} from "#core/wallet/wallet-link.service.ts";
import type { Db } from "#db/create-db.ts";
import {
  signedSiweMessage,
  testAccount,
  type SiweFields,
} from "#tests/support/ethereum-provider.ts";
import { createUser, testPolicy } from "#tests/support/factories.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";

const site: SiweExpectations = { domain: "tributary.test", origin: "https://tributary.test" };
const MINUTE = 60_000;

let ipCounter = 0;
const freshClient = () => ({ ip: `198.51.100.${++ipCounter % 250}`, userAgent: "vitest" });

async function nonceFor(
  db: Db,
  request: { purpose: "link"; userId: UserId } | { purpose: "sign-in" },
  now = new Date(),
): Promise<IssuedNonce> {
  const result = await issueSiweNonce(
    db,
    testPolicy,
    request.purpose === "link" ? request : { purpose: "sign-in", ip: freshClient().ip },
    site,
    now,
  );
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** A message for `label`'s key over a fresh nonce, with fields a test may override. */
async function signedFor(
  label: string,
  nonce: IssuedNonce,
  overrides: Partial<SiweFields> = {},
  signerLabel = label,
) {
  return signedSiweMessage(
    testAccount(label),
    {
      domain: nonce.domain,
      uri: nonce.uri,
      nonce: nonce.nonce,
      chainId: nonce.chainId,
      issuedAt: new Date(),
      expirationTime: nonce.expiresAt,
      ...overrides,
    },
    testAccount(signerLabel),
  );
}

/** Row counts of everything linking or signing in could write. */
async function writes(db: Db) {
  const [links, sessions, usedNonces] = await Promise.all([
    db
      .selectFrom("wallet_links")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("sessions")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("siwe_nonces")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("used_at", "is not", null)
      .executeTakeFirstOrThrow(),
  ]);
  return { links: Number(links.n), sessions: Number(sessions.n), usedNonces: Number(usedNonces.n) };
}

describe.each(testBackends())("wallet linking on %s", (backend) => {
  let testDb: TestDb;
  let db: Db;
  beforeAll(async () => {
    testDb = await openTestDb(backend, { poolSize: 10 });
    db = testDb.db;
  });
  afterAll(() => testDb.close());

  async function linkFresh(label: string, userId: UserId) {
    const nonce = await nonceFor(db, { purpose: "link", userId });
    const signed = await signedFor(label, nonce);
    return linkWallet(db, userId, { ...signed, expected: site });
  }

  /** Runs `attempt`, expects the failure code, and that nothing at all was written. */
  async function expectRefusedWithoutWrites(
    attempt: () => Promise<{ ok: boolean; error?: unknown }>,
    expected: Record<string, unknown>,
  ) {
    const before = await writes(db);
    const result = await attempt();
    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject(expected);
    expect(await writes(db)).toEqual(before);
  }

  it("links the address that signed a fresh link message, checksummed, and spends the nonce", async () => {
    const { user } = await createUser(db);
    const account = testAccount("happy");
    const nonce = await nonceFor(db, { purpose: "link", userId: user.id });
    expect(nonce).toMatchObject({
      purpose: "link",
      domain: "tributary.test",
      uri: "https://tributary.test",
      version: "1",
    });
    expect(nonce.nonce).toMatch(/^[a-z2-9]{24}$/);
    expect(nonce.expiresAt.getTime() - nonce.issuedAt.getTime()).toBe(10 * MINUTE);

    const signed = await signedFor("happy", nonce);
    const result = await linkWallet(db, user.id, { ...signed, expected: site });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.link.address).toBe(account.address);
    expect(result.value).toMatchObject({ replaced: null, isUnchanged: false });

    expect(await getLinkedWallet(db, user.id)).toMatchObject({
      address: account.address,
      userId: user.id,
      chainId: 1,
      unlinkedAt: null,
    });
    expect(await listActiveWalletLinks(db)).toContainEqual({
      userId: user.id,
      address: account.address,
    });
    const row = await db
      .selectFrom("siwe_nonces")
      .select("used_at")
      .where("nonce", "=", nonce.nonce)
      .executeTakeFirstOrThrow();
    expect(row.used_at).not.toBeNull();
    const stored = await db
      .selectFrom("wallet_links")
      .select(["siwe_message", "signature"])
      .where("user_id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ siwe_message: signed.message, signature: signed.signature });
  });

  it("refuses a replay of the same message: the nonce is single-use", async () => {
    const { user } = await createUser(db);
    const nonce = await nonceFor(db, { purpose: "link", userId: user.id });
    const signed = await signedFor("replay", nonce);
    expect((await linkWallet(db, user.id, { ...signed, expected: site })).ok).toBe(true);
    await expectRefusedWithoutWrites(() => linkWallet(db, user.id, { ...signed, expected: site }), {
      code: "nonce_used",
      message: "This message was already used — request a new one.",
    });
  });

  it("lets exactly one of two concurrent uses of one nonce through", async () => {
    const { user } = await createUser(db);
    const nonce = await nonceFor(db, { purpose: "link", userId: user.id });
    const signed = await signedFor("race", nonce);
    const before = await writes(db);
    const results = await Promise.all(
      Array.from({ length: 4 }, () => linkWallet(db, user.id, { ...signed, expected: site })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results.filter((r) => !r.ok)) {
      expect(r.ok ? null : r.error).toMatchObject({ code: "nonce_used" });
    }
    expect(await writes(db)).toEqual({
      ...before,
      links: before.links + 1,
      usedNonces: before.usedNonces + 1,
    });
  });

  it("links an address to one account when two accounts race for it", async () => {
    const [first, second] = await Promise.all([createUser(db), createUser(db)]);
    const [nonceA, nonceB] = await Promise.all([
      nonceFor(db, { purpose: "link", userId: first.user.id }),
      nonceFor(db, { purpose: "link", userId: second.user.id }),
    ]);
    const [signedA, signedB] = await Promise.all([
      signedFor("contested", nonceA),
      signedFor("contested", nonceB),
    ]);
    const results = await Promise.all([
      linkWallet(db, first.user.id, { ...signedA, expected: site }),
      linkWallet(db, second.user.id, { ...signedB, expected: site }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const loser = results.find((r) => !r.ok);
    expect(loser?.ok === false && loser.error).toMatchObject({
      kind: "address-taken",
      message: "That address is already linked to another Tributary account.",
    });
    const address = testAccount("contested").address;
    expect((await listActiveWalletLinks(db)).filter((l) => l.address === address)).toHaveLength(1);
  });

  it("refuses an expired nonce", async () => {
    const { user } = await createUser(db);
    const longAgo = new Date(Date.now() - 11 * MINUTE);
    const nonce = await nonceFor(db, { purpose: "link", userId: user.id }, longAgo);
    const signed = await signedFor("stale-nonce", nonce, {
      issuedAt: longAgo,
      expirationTime: undefined,
    });
    await expectRefusedWithoutWrites(() => linkWallet(db, user.id, { ...signed, expected: site }), {
      code: "nonce_expired",
      message: "This sign-in message has expired — request a new one.",
    });
  });

  it("refuses a message past its expiration time", async () => {
    const { user } = await createUser(db);
    const nonce = await nonceFor(db, { purpose: "link", userId: user.id });
    const signed = await signedFor("stale-message", nonce, {
      issuedAt: new Date(Date.now() - 5 * MINUTE),
      expirationTime: new Date(Date.now() - MINUTE),
    });
    await expectRefusedWithoutWrites(() => linkWallet(db, user.id, { ...signed, expected: site }), {
      code: "expired",
      message: "This sign-in message has expired — request a new one.",
    });
  });

  it("refuses a message that is not valid yet, or claims to be written in the future", async () => {
    const { user } = await createUser(db);
    const nonce = await nonceFor(db, { purpose: "link", userId: user.id });
    const notYet = await signedFor("early", nonce, {
      notBefore: new Date(Date.now() + 5 * MINUTE),
    });
    await expectRefusedWithoutWrites(() => linkWallet(db, user.id, { ...notYet, expected: site }), {
      code: "not_yet_valid",
    });
    const future = await signedFor("early", nonce, {
      issuedAt: new Date(Date.now() + 30 * MINUTE),
    });
    await expectRefusedWithoutWrites(() => linkWallet(db, user.id, { ...future, expected: site }), {
      code: "issued_in_future",
    });
    // A device clock a minute fast is fine.
    const fast = await signedFor("early", nonce, { issuedAt: new Date(Date.now() + MINUTE) });
    expect((await linkWallet(db, user.id, { ...fast, expected: site })).ok).toBe(true);
  });

  it("refuses a message written for another site", async () => {
    const { user } = await createUser(db);
    const nonce = await nonceFor(db, { purpose: "link", userId: user.id });
    const signed = await signedFor("phished", nonce, { domain: "tributary.evil" });
    await expectRefusedWithoutWrites(() => linkWallet(db, user.id, { ...signed, expected: site }), {
      kind: "siwe",
      code: "wrong_domain",
      message:
        "This message was written for tributary.evil, not for tributary.test — request a new one here.",
    });
  });

  it("refuses a message whose URI or scheme is not this site's origin", async () => {
    const { user } = await createUser(db);
    const nonce = await nonceFor(db, { purpose: "link", userId: user.id });
    for (const overrides of [
      { uri: "https://tributary.evil/wallet" },
      { uri: "http://tributary.test" },
      { scheme: "http" },
    ]) {
      const signed = await signedFor("elsewhere", nonce, overrides);
      await expectRefusedWithoutWrites(
        () => linkWallet(db, user.id, { ...signed, expected: site }),
        { code: "wrong_uri" },
      );
    }
    // A path on our own origin is still our site.
    const deeper = await signedFor("elsewhere", nonce, { uri: "https://tributary.test/wallet" });
    expect((await linkWallet(db, user.id, { ...deeper, expected: site })).ok).toBe(true);
  });

  it("refuses a signature from another key than the message's address", async () => {
    const { user } = await createUser(db);
    const nonce = await nonceFor(db, { purpose: "link", userId: user.id });
    const signed = await signedFor("claimed", nonce, {}, "impostor");
    const short = `${testAccount("claimed").address.slice(0, 6)}…${testAccount("claimed").address.slice(-4)}`;
    await expectRefusedWithoutWrites(() => linkWallet(db, user.id, { ...signed, expected: site }), {
      code: "signature_mismatch",
      message: `This signature was not made by ${short}, the address in the message — sign with that wallet.`,
    });
  });

  it("refuses unreadable messages and malformed signatures", async () => {
    const { user } = await createUser(db);
    const nonce = await nonceFor(db, { purpose: "link", userId: user.id });
    const signed = await signedFor("garbled", nonce);
    for (const [input, code] of [
      [{ ...signed, message: "hello" }, "invalid_message"],
      [{ ...signed, message: "x".repeat(5000) }, "invalid_message"],
      [
        { ...signed, message: signed.message.replace("Version: 1", "Version: 2") },
        "invalid_message",
      ],
      [{ ...signed, signature: "0x1234" }, "invalid_signature"],
      [{ ...signed, signature: `0x${"00".repeat(65)}` }, "signature_mismatch"],
    ] as const) {
      await expectRefusedWithoutWrites(
        () => linkWallet(db, user.id, { ...input, expected: site }),
        {
          code,
        },
      );
    }
  });

  it("refuses a nonce Tributary never issued, one for signing in, and one issued to another account", async () => {
    const [{ user }, other] = await Promise.all([createUser(db), createUser(db)]);
    const real = await nonceFor(db, { purpose: "link", userId: user.id });
    const made = await signedFor("nonce-games", { ...real, nonce: "abcdefgh12345678" });
    await expectRefusedWithoutWrites(() => linkWallet(db, user.id, { ...made, expected: site }), {
      code: "unknown_nonce",
    });
    const signIn = await signedFor("nonce-games", await nonceFor(db, { purpose: "sign-in" }));
    await expectRefusedWithoutWrites(() => linkWallet(db, user.id, { ...signIn, expected: site }), {
      code: "wrong_purpose",
      message:
        "This message was requested for signing in, not for linking a wallet — request a new one.",
    });
    const othersNonce = await nonceFor(db, { purpose: "link", userId: other.user.id });
    const theirs = await signedFor("nonce-games", othersNonce);
    await expectRefusedWithoutWrites(() => linkWallet(db, user.id, { ...theirs, expected: site }), {
      code: "wrong_account",
    });
    // None of those spent the real nonce.
    expect(
      (await linkWallet(db, user.id, { ...(await signedFor("nonce-games", real)), expected: site }))
        .ok,
    ).toBe(true);
  });

  it("refuses an address already linked to another account", async () => {
    const [first, second] = await Promise.all([createUser(db), createUser(db)]);
    expect((await linkFresh("taken", first.user.id)).ok).toBe(true);
    const nonce = await nonceFor(db, { purpose: "link", userId: second.user.id });
    const signed = await signedFor("taken", nonce);
    await expectRefusedWithoutWrites(
      () => linkWallet(db, second.user.id, { ...signed, expected: site }),
      {
        kind: "address-taken",
        message: "That address is already linked to another Tributary account.",
      },
    );
    expect(await getLinkedWallet(db, second.user.id)).toBeNull();
  });

  it("relinking the same address changes nothing; linking a different one keeps the old as history", async () => {
    const { user } = await createUser(db);
    expect((await linkFresh("first-address", user.id)).ok).toBe(true);
    const again = await linkFresh("first-address", user.id);
    expect(again.ok && again.value.isUnchanged).toBe(true);

    const switched = await linkFresh("second-address", user.id);
    expect(switched.ok).toBe(true);
    if (!switched.ok) return;
    expect(switched.value.replaced?.address).toBe(testAccount("first-address").address);
    expect((await getLinkedWallet(db, user.id))?.address).toBe(
      testAccount("second-address").address,
    );
    const history = await listWalletLinkHistory(db, user.id);
    expect(history.map((link) => [link.address, link.unlinkedAt === null])).toEqual([
      [testAccount("second-address").address, true],
      [testAccount("first-address").address, false],
    ]);
    // The first address is free for someone else now.
    const other = await createUser(db);
    expect((await linkFresh("first-address", other.user.id)).ok).toBe(true);
  });

  it("unlinks (keeping history), after which another account can link the address", async () => {
    const [first, second] = await Promise.all([createUser(db), createUser(db)]);
    expect((await linkFresh("passed-on", first.user.id)).ok).toBe(true);
    const unlinked = await unlinkWallet(db, first.user.id);
    expect(unlinked.ok && unlinked.value.unlinkedAt).toBeInstanceOf(Date);
    expect(await getLinkedWallet(db, first.user.id)).toBeNull();
    expect(await listWalletLinkHistory(db, first.user.id)).toHaveLength(1);
    expect((await listActiveWalletLinks(db)).map((l) => l.userId)).not.toContain(first.user.id);

    await expectRefusedWithoutWrites(() => unlinkWallet(db, first.user.id), {
      kind: "not-linked",
      message: "No wallet is linked to your account.",
    });
    expect((await linkFresh("passed-on", second.user.id)).ok).toBe(true);
    // And the first account may link it again later, once it is free.
    expect((await unlinkWallet(db, second.user.id)).ok).toBe(true);
    expect((await linkFresh("passed-on", first.user.id)).ok).toBe(true);
    expect(await listWalletLinkHistory(db, first.user.id)).toHaveLength(2);
  });

  it("signs in the account linked to the signing address, replacing this browser's session", async () => {
    const { user, session: oldSession } = await createUser(db);
    expect((await linkFresh("sign-in", user.id)).ok).toBe(true);
    const nonce = await nonceFor(db, { purpose: "sign-in" });
    expect(nonce.statement).toBe("Sign in to Tributary with this Ethereum address.");
    const signed = await signedFor("sign-in", nonce, { statement: nonce.statement });
    const result = await signInWithEthereum(
      db,
      testPolicy,
      { ...signed, expected: site },
      { ...freshClient(), currentSessionId: oldSession.id },
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.user.id).toBe(user.id);
    expect(result.value.link.address).toBe(testAccount("sign-in").address);
    const validated = await validateSessionToken(db, testPolicy.session, result.value.token);
    expect(validated?.user.id).toBe(user.id);
    const sessions = await db
      .selectFrom("sessions")
      .select("id")
      .where("user_id", "=", user.id)
      .execute();
    expect(sessions.map((s) => s.id)).toEqual([result.value.session.id]);

    // The same message cannot sign in twice.
    await expectRefusedWithoutWrites(
      () => signInWithEthereum(db, testPolicy, { ...signed, expected: site }, freshClient()),
      { code: "nonce_used" },
    );
  });

  it("refuses to sign in with an address no account is linked to (including an unlinked one)", async () => {
    const { user } = await createUser(db);
    const stranger = await signedFor("stranger", await nonceFor(db, { purpose: "sign-in" }));
    await expectRefusedWithoutWrites(
      () => signInWithEthereum(db, testPolicy, { ...stranger, expected: site }, freshClient()),
      {
        kind: "no-account-for-address",
        message:
          "No Tributary account is linked to that address. Sign in with your email, then link it from your wallet page.",
      },
    );

    expect((await linkFresh("former", user.id)).ok).toBe(true);
    expect((await unlinkWallet(db, user.id)).ok).toBe(true);
    const former = await signedFor("former", await nonceFor(db, { purpose: "sign-in" }));
    await expectRefusedWithoutWrites(
      () => signInWithEthereum(db, testPolicy, { ...former, expected: site }, freshClient()),
      { kind: "no-account-for-address" },
    );

    const linkNonce = await nonceFor(db, { purpose: "link", userId: user.id });
    const wrongPurpose = await signedFor("former", linkNonce);
    await expectRefusedWithoutWrites(
      () => signInWithEthereum(db, testPolicy, { ...wrongPurpose, expected: site }, freshClient()),
      { code: "wrong_purpose" },
    );
  });

  it("counts sign-in nonces per network and refuses past the limit", async () => {
    const policy = { signInLimits: { perAccount: 5, perIp: 2, windowMs: 15 * MINUTE } };
    const ip = "203.0.113.200";
    const issue = () => issueSiweNonce(db, policy, { purpose: "sign-in", ip }, site);
    expect((await issue()).ok).toBe(true);
    expect((await issue()).ok).toBe(true);
    const limited = await issue();
    expect(limited.ok).toBe(false);
    expect(limited.ok ? null : limited.error).toMatchObject({
      kind: "rate-limited",
      message: "Too many sign-in attempts from your network. Try again in 15 minutes.",
    });
  });

  it("keeps used nonces a day past expiry, then clears them when the next is issued", async () => {
    const { user } = await createUser(db);
    const old = await nonceFor(
      db,
      { purpose: "link", userId: user.id },
      new Date(Date.now() - 2 * 86_400_000),
    );
    await nonceFor(db, { purpose: "link", userId: user.id });
    const found = await db
      .selectFrom("siwe_nonces")
      .select("nonce")
      .where("nonce", "=", old.nonce)
      .executeTakeFirst();
    expect(found).toBeUndefined();
  });
});
