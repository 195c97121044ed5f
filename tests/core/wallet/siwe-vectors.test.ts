import { describe, expect, it } from "vitest";
import { parseSiweMessageText } from "#core/wallet/siwe-message.ts";
import { verifySiweMessage, type SiweExpectations } from "#core/wallet/siwe.ts";
import eip1271 from "./siwe-vectors/eip1271.json";
import invalidChars from "./siwe-vectors/invalid_chars.json";
import invalidUris from "./siwe-vectors/invalid_uris.json";
import messageObjects from "./siwe-vectors/message_objects.json";
import parsingNegative from "./siwe-vectors/parsing_negative.json";
import parsingNegativeObjects from "./siwe-vectors/parsing_negative_objects.json";
import parsingPositive from "./siwe-vectors/parsing_positive.json";
import validChars from "./siwe-vectors/valid_chars.json";
import validationNegative from "./siwe-vectors/validation_negative.json";
import validationPositive from "./siwe-vectors/validation_positive.json";
import verificationNegative from "./siwe-vectors/verification_negative.json";
import verificationPositive from "./siwe-vectors/verification_positive.json";

// spruceid/siwe's test vectors (see siwe-vectors/README.md), run through verifySiweMessage.
// A message that only has to parse is checked with a well-formed signature by no one: getting
// as far as "signature_mismatch" means every check before the signature let it through.

const MINUTE = 60_000;
const NOBODY = `0x${"00".repeat(31)}01${"00".repeat(31)}011b`;

type Fields = {
  domain?: string;
  address?: string;
  statement?: string;
  uri?: string;
  version?: string;
  chainId?: number | string;
  nonce?: string;
  issuedAt?: string;
  expirationTime?: string;
  notBefore?: string;
  requestId?: string;
  resources?: string[];
};

/** EIP-4361's text for an object; a missing mandatory field is left empty on its line. */
function render(fields: Fields): string {
  let text =
    `${fields.domain ?? ""} wants you to sign in with your Ethereum account:\n` +
    `${fields.address ?? ""}\n\n` +
    (fields.statement ? `${fields.statement}\n\n` : "\n") +
    `URI: ${fields.uri ?? ""}\n` +
    `Version: ${fields.version ?? ""}\n` +
    `Chain ID: ${fields.chainId ?? ""}\n` +
    `Nonce: ${fields.nonce ?? ""}\n` +
    `Issued At: ${fields.issuedAt ?? ""}`;
  if (fields.expirationTime) text += `\nExpiration Time: ${fields.expirationTime}`;
  if (fields.notBefore) text += `\nNot Before: ${fields.notBefore}`;
  if (fields.requestId) text += `\nRequest ID: ${fields.requestId}`;
  if (fields.resources) text += `\nResources:${fields.resources.map((r) => `\n- ${r}`).join("")}`;
  return text;
}

/** The site a message's own domain and URI point at (the host without any userinfo). */
function siteOf(domain: string, uri: string): SiweExpectations {
  let origin = "null";
  try {
    origin = new URL(uri).origin;
  } catch {
    // Left "null": the vector is about the URI's form, and no site has that origin.
  }
  return { domain: domain.replace(/^.*@/, "").toLowerCase(), origin };
}

async function outcome(
  message: string,
  expected: SiweExpectations,
  now: Date,
  signature = NOBODY,
): Promise<string> {
  const result = await verifySiweMessage({ message, signature }, expected, now);
  return result.ok ? "ok" : result.error.code;
}

const minuteAfter = (iso: string) => new Date(Date.parse(iso) + MINUTE);
const somewhere: SiweExpectations = { domain: "service.org", origin: "https://service.org" };
const early = new Date("2022-03-17T12:46:00Z");

/** Positive vectors we refuse on purpose, and how (README.md says why). */
const refusedOnPurpose: Record<string, string> = {
  "parsing_positive: domain is RFC 3986 authority with userinfo": "wrong_domain",
  "parsing_positive: domain is RFC 3986 authority with userinfo and port": "wrong_domain",
  "verification_positive: expired message": "issued_in_future",
  "eip1271: argent": "signature_mismatch",
  "eip1271: loopring": "invalid_signature",
  "eip1271: 6492": "invalid_signature",
};

/** Negative parsing vectors that are well-formed by EIP-4361's ABNF (README.md says why). */
const wellFormedNegatives: Record<string, string> = {
  // The text says "Version: 1": only the name says otherwise.
  "parsing_negative: version not 1": "signature_mismatch",
  // "_" is an RFC 3986 unreserved character, so not_rfc4501 is a valid authority; it is
  // refused here only because it is not this site's host.
  "parsing_negative: domain not RFC4501 authority": "wrong_domain",
};

describe("spruceid/siwe parsing vectors", () => {
  it.each(Object.entries(parsingPositive))("parsing_positive: %s", async (name, vector) => {
    const expected = siteOf(vector.fields.domain, vector.fields.uri);
    const result = await outcome(vector.message, expected, minuteAfter(vector.fields.issuedAt));
    expect(result).toBe(refusedOnPurpose[`parsing_positive: ${name}`] ?? "signature_mismatch");
  });

  it.each(Object.entries(parsingPositive))("parsing_positive fields: %s", (_name, vector) => {
    const { fields } = vector;
    const parsed = parseSiweMessageText(vector.message);
    expect(parsed).toEqual({
      domain: fields.domain,
      address: fields.address,
      ...("statement" in fields ? { statement: fields.statement } : {}),
      uri: fields.uri,
      version: fields.version,
      chainId: Number(fields.chainId),
      nonce: fields.nonce,
      issuedAt: new Date(fields.issuedAt),
      ...("resources" in fields ? { resources: fields.resources } : {}),
    });
  });

  it.each(Object.entries(parsingNegative))("parsing_negative: %s", async (name, message) => {
    const result = await outcome(message, somewhere, early);
    expect(result).toBe(wellFormedNegatives[`parsing_negative: ${name}`] ?? "invalid_message");
  });

  it.each(Object.entries(invalidUris))("invalid_uris: %s", async (_name, message) => {
    expect(await outcome(message, somewhere, early)).toBe("invalid_message");
  });

  it.each(Object.entries(parsingNegativeObjects))(
    "parsing_negative_objects: %s",
    async (_name, fields) => {
      expect(await outcome(render(fields), somewhere, early)).toBe("invalid_message");
    },
  );

  it.each(Object.entries(messageObjects))("message_objects: %s", async (_name, vector) => {
    const result = await outcome(
      render(vector.msg),
      { domain: "service.org", origin: new URL(vector.msg.uri).origin },
      early,
    );
    expect(result).toBe(vector.error === "none" ? "signature_mismatch" : "invalid_message");
  });
});

/**
 * The character-class vectors name an ABNF rule; each is put where that rule is used in a
 * message (a URI's scheme, the statement, the domain's userinfo, an IPvFuture host, a
 * reg-name host after a userinfo, the Request ID, which is *pchar, a URI's fragment).
 */
function messageWith(rule: string, input: string): string {
  const base = render({
    domain: "service.org",
    address: "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2",
    statement: "Characters",
    uri: "https://service.org/login",
    version: "1",
    chainId: 1,
    nonce: "32891757",
    issuedAt: "2022-03-17T12:45:13.610Z",
  });
  // Replacer functions, not strings: "$&" in an input must stay "$&".
  switch (rule) {
    case "scheme":
      return base.replace("URI: https:", () => `URI: ${input}:`);
    case "statement":
      return base.replace("\nCharacters\n", () => `\n${input}\n`);
    case "pct-encoded":
      return base.replace(
        "URI: https://service.org/login",
        () => `URI: https://service.org/${input}`,
      );
    case "userinfo":
      return base.replace("service.org wants", () => `${input}@service.org wants`);
    case "IPvFuture":
      return base.replace("service.org wants", () => `[${input}] wants`);
    case "reg-name":
      // After a userinfo, so that "@" cannot be read as an empty userinfo of its own.
      return base.replace("service.org wants", () => `user@${input} wants`);
    case "segment-nz":
      return `${base}\nRequest ID: ${input}`;
    case "fragment":
      return base.replace(
        "URI: https://service.org/login",
        () => `URI: https://service.org/#${input}`,
      );
    default:
      throw new Error(`No place in a message for rule ${rule}`);
  }
}

describe("spruceid/siwe character-class vectors", () => {
  it.each(Object.entries(validChars))("valid_chars: %s", async (_name, vector) => {
    const message = messageWith(vector.rule, vector.input);
    // Parsed: anything but "unreadable" (the domain or URI may well not be this site's).
    expect(await outcome(message, somewhere, early)).not.toBe("invalid_message");
  });

  it.each(Object.entries(invalidChars))("invalid_chars: %s", async (_name, vector) => {
    const message = messageWith(vector.rule, vector.input);
    expect(await outcome(message, somewhere, early)).toBe("invalid_message");
  });
});

type SignedVector = Fields & {
  signature: string;
  time?: string;
  domainBinding?: string;
  matchNonce?: string;
};

function signedCase(vector: SignedVector) {
  const message = render(vector);
  const expected = siteOf(vector.domainBinding ?? vector.domain!, vector.uri!);
  const now = vector.time ? new Date(vector.time) : minuteAfter(vector.issuedAt!);
  return { message, expected, now };
}

describe("spruceid/siwe verification vectors", () => {
  const positives = [
    ...Object.entries(verificationPositive).map(([n, v]) => [`verification_positive: ${n}`, v]),
    ...Object.entries(validationPositive).map(([n, v]) => [`validation_positive: ${n}`, v]),
  ] as [string, SignedVector][];
  it.each(positives)("%s", async (name, vector) => {
    const { message, expected, now } = signedCase(vector);
    const result = await verifySiweMessage({ message, signature: vector.signature }, expected, now);
    const wanted = refusedOnPurpose[name] ?? "ok";
    expect(result.ok ? "ok" : result.error.code).toBe(wanted);
    if (result.ok) expect(result.value.address).toBe(vector.address);
  });

  const negatives: [string, SignedVector, string][] = [
    ["verification_negative: expired message", verificationNegative["expired message"], "expired"],
    [
      "verification_negative: domain binding",
      verificationNegative["domain binding"],
      "wrong_domain",
    ],
    ["verification_negative: custom time", verificationNegative["custom time"], "expired"],
    ["verification_negative: custom nonce", verificationNegative["custom nonce"], "nonce"],
    [
      "verification_negative: malformed signature",
      verificationNegative["malformed signature"],
      "invalid_signature",
    ],
    [
      "verification_negative: wrong signature",
      verificationNegative["wrong signature"],
      "signature_mismatch",
    ],
    [
      "verification_negative: not yet valid",
      verificationNegative["not yet valid"],
      "not_yet_valid",
    ],
    ["validation_negative: expired message", validationNegative["expired message"], "expired"],
    [
      "validation_negative: malformed signature",
      validationNegative["malformed signature"],
      "invalid_signature",
    ],
    [
      "validation_negative: wrong signature",
      validationNegative["wrong signature"],
      "signature_mismatch",
    ],
    [
      "validation_negative: invalid expiration time",
      validationNegative["invalid expiration time"],
      "invalid_message",
    ],
  ];
  it("covers every verification and validation vector", () => {
    const named = new Set(negatives.map(([name]) => name));
    for (const name of Object.keys(verificationNegative)) {
      expect(named).toContain(`verification_negative: ${name}`);
    }
    for (const name of Object.keys(validationNegative)) {
      expect(named).toContain(`validation_negative: ${name}`);
    }
  });
  it.each(negatives)("%s", async (_name, vector, wanted) => {
    const { message, expected, now } = signedCase(vector);
    const result = await verifySiweMessage({ message, signature: vector.signature }, expected, now);
    if (wanted === "nonce") {
      // verifySiweMessage leaves the nonce to its caller (wallet-link.service checks it is one
      // Tributary issued); what it hands over must be the message's, not the one expected.
      expect(result.ok && result.value.nonce).toBe(vector.nonce);
      expect(vector.nonce).not.toBe(vector.matchNonce);
      return;
    }
    expect(result.ok ? "ok" : result.error.code).toBe(wanted);
  });

  it.each(Object.entries(eip1271))("eip1271: %s", async (name, vector) => {
    // Contract wallets (EIP-1271, EIP-6492) are refused: only an externally owned account's
    // own signature links an address.
    const result = await outcome(
      vector.message,
      { domain: "localhost:4361", origin: "http://localhost:4361" },
      new Date("2022-04-19T19:00:00Z"),
      vector.signature,
    );
    expect(result).toBe(refusedOnPurpose[`eip1271: ${name}`]);
  });
});
