import { getAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SettlementChain } from "#chain/settlement-chain.ts";
import type { UserId } from "#core/auth/ids.ts";
import { runSettlementEpoch } from "#core/settlement/settlement-epoch.ts";
import { getUserSettlement } from "#core/settlement/settlement.service.ts";
import {
  payoutAddressMessages,
  setPayoutAddress,
  type SetPayoutAddressContext,
} from "#core/wallet/payout-address.ts";
import type { SiweExpectations } from "#core/wallet/siwe.ts";
import {
  getLinkedWallet,
  issueSiweNonce,
  linkWallet,
  listActiveWalletLinks,
  listWalletLinkHistory,
  signInWithEthereum,
  unlinkWallet,
} from "#core/wallet/wallet-link.service.ts";
import { insertLink } from "#core/wallet/wallet-link.repository.ts";
import { getWalletSummary } from "#core/wallet/wallet.service.ts";
import type { Db } from "#db/create-db.ts";
import { startTestChain, type TestChain } from "#tests/support/anvil.ts";
import { signedSiweMessage, testAccount } from "#tests/support/ethereum-provider.ts";
import { createUser, testPolicy } from "#tests/support/factories.ts";
import { accountMailInto, startSmtpInbox, type SmtpInbox } from "#tests/support/smtp-inbox.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";
import {
  creditAvailable,
  devWallet,
  freshSettlementChain,
} from "#tests/settlement/settlement-support.ts";

const HOUR = 60 * 60 * 1000;
const COOLING_OFF = 48 * HOUR;
const policy = { signInLimits: testPolicy.signInLimits, payoutAddressCoolingOffMs: COOLING_OFF };
const DISTRIBUTOR = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

let ipCounter = 0;
const context = (extra: Partial<SetPayoutAddressContext> = {}): SetPayoutAddressContext => ({
  ip: `198.51.100.${++ipCounter % 250}`,
  platformAddresses: [DISTRIBUTOR],
  ...extra,
});

/** A fresh random address in its EIP-55 form. */
function freshAddress(): `0x${string}` {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  return getAddress(`0x${Buffer.from(bytes).toString("hex")}`);
}

/** The same address with one letter's case flipped: a mixed-case address whose checksum fails. */
function withBrokenChecksum(address: string): string {
  const hex = address.slice(2);
  const i = [...hex].findIndex((c) => /[a-f]/i.test(c));
  const c = hex[i]!;
  const flipped = c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
  return `0x${hex.slice(0, i)}${flipped}${hex.slice(i + 1)}`;
}

async function linkCount(db: Db) {
  const row = await db
    .selectFrom("wallet_links")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const site: SiweExpectations = { domain: "tributary.test", origin: "https://tributary.test" };

/** A message signed by `label`'s test key over a fresh nonce for `request`. */
async function signedFor(
  db: Db,
  label: string,
  request: { purpose: "link"; userId: UserId } | { purpose: "sign-in"; ip: string },
) {
  const nonce = await issueSiweNonce(db, testPolicy, request, site);
  if (!nonce.ok) throw new Error(nonce.error.message);
  const signed = await signedSiweMessage(testAccount(label), {
    domain: nonce.value.domain,
    uri: nonce.value.uri,
    nonce: nonce.value.nonce,
    expirationTime: nonce.value.expiresAt,
  });
  return { ...signed, expected: site };
}

let inbox: SmtpInbox;
let testChain: TestChain;
beforeAll(async () => {
  inbox = await startSmtpInbox();
  testChain = await startTestChain();
});
afterAll(async () => {
  await inbox?.close();
  await testChain?.close();
});

describe.each(testBackends())("pasted payout addresses on %s", (backend) => {
  let testDb: TestDb;
  let db: Db;
  beforeAll(async () => {
    testDb = await openTestDb(backend);
    db = testDb.db;
  });
  afterAll(() => testDb.close());

  it("takes an all-lower-case address with the current password, shows it checksummed, and holds it for the cooling-off", async () => {
    const { user, password } = await createUser(db);
    const address = freshAddress();
    const now = new Date("2026-12-07T14:00:00Z");
    const result = await setPayoutAddress(
      db,
      policy,
      user.id,
      { address: address.toLowerCase(), password },
      context({ now }),
    );
    expect(result.ok).toBe(true);
    const link = result.ok ? result.value.link : null;
    expect(link).toMatchObject({ kind: "pasted", address, chainId: null, unlinkedAt: null });
    expect(link!.receivesFrom.toISOString()).toBe("2026-12-09T14:00:00.000Z");
    expect(await getLinkedWallet(db, user.id)).toMatchObject({ address, kind: "pasted" });

    const before = await listActiveWalletLinks(db, new Date("2026-12-09T13:59:59Z"));
    expect(before.map((l) => l.userId)).not.toContain(user.id);
    const after = await listActiveWalletLinks(db, new Date("2026-12-09T14:00:00Z"));
    expect(after).toContainEqual({ userId: user.id, address });
  });

  it("takes an all-upper-case address and refuses a mixed-case one whose checksum is wrong", async () => {
    const { user, password } = await createUser(db);
    const address = freshAddress();
    const before = await linkCount(db);
    const broken = await setPayoutAddress(
      db,
      policy,
      user.id,
      { address: withBrokenChecksum(address), password },
      context(),
    );
    expect(broken).toMatchObject({
      ok: false,
      error: { kind: "validation", fieldErrors: { address: [payoutAddressMessages.badChecksum] } },
    });
    expect(await linkCount(db)).toBe(before);

    const upper = `0x${address.slice(2).toUpperCase()}`;
    const result = await setPayoutAddress(
      db,
      policy,
      user.id,
      { address: upper, password },
      context(),
    );
    expect(result.ok && result.value.link.address).toBe(address);
  });

  it("refuses the zero address, the platform's own contracts and things that are not addresses, writing nothing", async () => {
    const { user, password } = await createUser(db);
    const before = await linkCount(db);
    const cases: [string, string][] = [
      [`0x${"0".repeat(40)}`, payoutAddressMessages.zeroAddress],
      [DISTRIBUTOR.toLowerCase(), payoutAddressMessages.platformAddress],
      ["0x1234", payoutAddressMessages.notAnAddress],
      ["vitalik.eth", payoutAddressMessages.notAnAddress],
    ];
    for (const [address, message] of cases) {
      const result = await setPayoutAddress(db, policy, user.id, { address, password }, context());
      expect(result).toMatchObject({ ok: false, error: { fieldErrors: { address: [message] } } });
    }
    expect(await linkCount(db)).toBe(before);
  });

  it("a wrong password changes nothing, and repeated wrong passwords are throttled like sign-in", async () => {
    const { user, password } = await createUser(db);
    const current = freshAddress();
    const ip = "203.0.113.77";
    expect(
      (await setPayoutAddress(db, policy, user.id, { address: current, password }, context({ ip })))
        .ok,
    ).toBe(true);
    const before = await linkCount(db);
    const attempt = () =>
      setPayoutAddress(
        db,
        policy,
        user.id,
        { address: freshAddress(), password: "not it" },
        context({ ip }),
      );
    for (let i = 0; i < testPolicy.signInLimits.perAccount; i++) {
      expect(await attempt()).toMatchObject({ ok: false, error: { kind: "wrong-password" } });
    }
    expect(await attempt()).toMatchObject({ ok: false, error: { kind: "rate-limited" } });
    // Even the right password waits out the delay from this address.
    expect(
      await setPayoutAddress(
        db,
        policy,
        user.id,
        { address: freshAddress(), password },
        context({ ip }),
      ),
    ).toMatchObject({ ok: false, error: { kind: "rate-limited" } });
    expect(await linkCount(db)).toBe(before);
    expect((await getLinkedWallet(db, user.id))?.address).toBe(current);
  });

  it("replacing an address starts a new cooling-off and the previous address stops receiving at once", async () => {
    const { user, password } = await createUser(db);
    const first = freshAddress();
    const second = freshAddress();
    const t0 = new Date("2026-12-01T00:00:00Z");
    await setPayoutAddress(db, policy, user.id, { address: first, password }, context({ now: t0 }));
    const t1 = new Date(t0.getTime() + 3 * 24 * HOUR);
    expect(await listActiveWalletLinks(db, t1)).toContainEqual({ userId: user.id, address: first });

    const replaced = await setPayoutAddress(
      db,
      policy,
      user.id,
      { address: second, password },
      context({ now: t1 }),
    );
    expect(replaced.ok && replaced.value.replaced?.address).toBe(first);
    const mine = (at: Date) =>
      listActiveWalletLinks(db, at).then((links) => links.filter((l) => l.userId === user.id));
    expect(await mine(t1)).toEqual([]);
    expect(await mine(new Date(t1.getTime() + COOLING_OFF - 1))).toEqual([]);
    expect(await mine(new Date(t1.getTime() + COOLING_OFF))).toEqual([
      { userId: user.id, address: second },
    ]);
    const history = await listWalletLinkHistory(db, user.id);
    expect(history.map((l) => [l.address, l.unlinkedAt === null])).toEqual([
      [second, true],
      [first, false],
    ]);
  });

  it("pasting the address already set keeps its date; removing it ends it at once", async () => {
    const { user, password } = await createUser(db);
    const address = freshAddress();
    const t0 = new Date("2026-12-02T00:00:00Z");
    await setPayoutAddress(db, policy, user.id, { address, password }, context({ now: t0 }));
    const again = await setPayoutAddress(
      db,
      policy,
      user.id,
      { address: address.toLowerCase(), password },
      context({ now: new Date(t0.getTime() + HOUR) }),
    );
    expect(again.ok && again.value.isUnchanged).toBe(true);
    expect(again.ok && again.value.link.receivesFrom.getTime()).toBe(t0.getTime() + COOLING_OFF);
    expect((await unlinkWallet(db, user.id)).ok).toBe(true);
    expect(await getLinkedWallet(db, user.id)).toBeNull();
  });

  it("refuses an address another account has linked, by signature or pasted", async () => {
    const owner = await createUser(db);
    const signed = devWallet(3).address;
    await insertLink(db, {
      userId: owner.user.id,
      address: signed,
      chainId: 1,
      message: "signed in a test",
      signature: "0x",
      now: new Date(),
    });
    const pastedOwner = await createUser(db);
    const pasted = freshAddress();
    await setPayoutAddress(
      db,
      policy,
      pastedOwner.user.id,
      { address: pasted, password: pastedOwner.password },
      context(),
    );

    const { user, password } = await createUser(db);
    const before = await linkCount(db);
    for (const address of [signed.toLowerCase(), pasted]) {
      expect(
        await setPayoutAddress(db, policy, user.id, { address, password }, context()),
      ).toMatchObject({
        ok: false,
        error: { kind: "address-taken" },
      });
    }
    expect(await linkCount(db)).toBe(before);
    expect(await getLinkedWallet(db, user.id)).toBeNull();
  });

  it("emails the account that the address was added and when it starts receiving", async () => {
    const { user, password } = await createUser(db);
    const address = freshAddress();
    const now = new Date("2026-12-07T14:00:00Z");
    const result = await setPayoutAddress(
      db,
      policy,
      user.id,
      { address, password },
      context({ now, mail: accountMailInto(inbox) }),
    );
    expect(result.ok).toBe(true);
    const mail = await inbox.nextMessageTo(user.email);
    expect(mail.subject).toBe("A payout address was added to your Tributary account");
    expect(mail.text).toContain(
      `A payout address ${address} was added to your Tributary account; it receives settlements from 9 Dec 2026, 14:00 UTC.`,
    );
    expect(mail.text).toContain("If this was not you, change your password and remove the address");
    expect(mail.text).toContain("https://tributary.test/forgot-password");
  });

  it("a pasted address cannot be used to sign in: whoever holds its key never gets into the account", async () => {
    const { user, password } = await createUser(db);
    const holder = testAccount("pasted-not-signed-in");
    await setPayoutAddress(db, policy, user.id, { address: holder.address, password }, context());
    const signed = await signedFor(db, "pasted-not-signed-in", {
      purpose: "sign-in",
      ip: "198.51.100.9",
    });
    const result = await signInWithEthereum(db, testPolicy, signed, {
      ip: "198.51.100.9",
      userAgent: "vitest",
    });
    expect(result).toMatchObject({ ok: false, error: { kind: "no-account-for-address" } });
  });

  it("signing for a pasted address with a wallet proves it: it receives at once", async () => {
    const { user, password } = await createUser(db);
    const wallet = testAccount("pasted-then-signed");
    await setPayoutAddress(db, policy, user.id, { address: wallet.address, password }, context());
    const signed = await signedFor(db, "pasted-then-signed", { purpose: "link", userId: user.id });
    const linked = await linkWallet(db, user.id, signed);
    expect(linked.ok && linked.value.link).toMatchObject({ kind: "siwe", address: wallet.address });
    expect(await listActiveWalletLinks(db)).toContainEqual({
      userId: user.id,
      address: wallet.address,
    });
  });

  describe("settlement epochs", () => {
    let chain: SettlementChain;
    beforeAll(async () => {
      chain = await freshSettlementChain(testChain);
    });

    it("skip a pasted address until its cooling-off ends; the balance waits and then settles whole", async () => {
      const { user, password } = await createUser(db);
      const payee = privateKeyToAccount(devWallet(4).privateKey);
      const linkedAt = new Date();
      await setPayoutAddress(
        db,
        policy,
        user.id,
        { address: payee.address, password },
        context({ now: linkedAt }),
      );
      await creditAvailable(db, user.id as UserId, 1234n, `payout-test:${user.id}`);
      const epoch = (now: Date) =>
        runSettlementEpoch({ db, chain, linkedWallets: listActiveWalletLinks, now: () => now });

      const early = await epoch(new Date(linkedAt.getTime() + COOLING_OFF - 1000));
      expect(early.kind).toBe("nothing-to-settle");
      expect((await getWalletSummary(db, user.id)).available).toBe(1234n);

      const due = await epoch(new Date(linkedAt.getTime() + COOLING_OFF));
      expect(due.kind).toBe("final");
      expect((await getWalletSummary(db, user.id)).available).toBe(0n);
      const settled = await getUserSettlement(db, user.id);
      expect(settled.addresses).toMatchObject([{ address: payee.address, onChain: 1234n }]);
    });
  });
});
