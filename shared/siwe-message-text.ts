// The text of a Sign-In with Ethereum (EIP-4361) message, written the same way by our pages
// (app/utils/ethereum-wallet.ts) and our tests. We write it ourselves because viem's
// createSiweMessage refuses IPv6 hosts ("[::1]:3000"), which the EIP's grammar and our server
// accept. The server reads messages strictly (core/wallet/siwe-message.ts): the layout below
// is the EIP's, field for field, in its order, lines ending in LF alone.

export type SiweMessageInput = {
  /** The optional "scheme://" before the domain; our pages leave it out. */
  scheme?: string;
  /** RFC 3986 authority: "tributary.example", "localhost:3000", "[::1]:3000". */
  domain: string;
  /** EIP-55 checksummed: the grammar refuses any other casing. */
  address: `0x${string}`;
  /** One line, shown by the wallet above the fields. */
  statement?: string;
  uri: string;
  version?: "1";
  chainId: number;
  /** At least 8 letters and digits. */
  nonce: string;
  issuedAt: Date;
  expirationTime?: Date;
  notBefore?: Date;
  requestId?: string;
  resources?: string[];
};

/** A line break or other control character would move text into another field. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what it finds
const controlCharacter = /[\u0000-\u001f\u007f]/;

function singleLine(name: string, value: string): string {
  if (controlCharacter.test(value)) {
    throw new Error(`A Sign-In with Ethereum ${name} must be one line without control characters.`);
  }
  return value;
}

/**
 * The EIP-4361 message for these fields, exactly as the EIP lays it out. Throws on a field
 * the message cannot carry as given (a line break, a short nonce, a malformed address or
 * chain id): writing it anyway would make a message that reads differently from the fields.
 */
export function writeSiweMessage(input: SiweMessageInput): string {
  if (!/^0x[0-9a-fA-F]{40}$/.test(input.address)) {
    throw new Error("A Sign-In with Ethereum address must be 0x and 40 hexadecimal digits.");
  }
  if (!Number.isSafeInteger(input.chainId) || input.chainId <= 0) {
    throw new Error("A Sign-In with Ethereum chain id must be a positive whole number.");
  }
  if (!/^[A-Za-z0-9]{8,}$/.test(input.nonce)) {
    throw new Error("A Sign-In with Ethereum nonce must be at least 8 letters and digits.");
  }
  for (const [name, value] of [
    ["scheme", input.scheme],
    ["domain", input.domain],
    ["statement", input.statement],
    ["URI", input.uri],
    ["request id", input.requestId],
    ...(input.resources ?? []).map((resource) => ["resource", resource] as const),
  ] as const) {
    if (value !== undefined) singleLine(name, value);
  }
  return layOutSiweMessage({
    ...input,
    version: input.version ?? "1",
    issuedAt: input.issuedAt.toISOString(),
    expirationTime: input.expirationTime?.toISOString(),
    notBefore: input.notBefore?.toISOString(),
    resources: input.resources && input.resources.length > 0 ? input.resources : undefined,
  });
}

/** A message's fields as its text holds them (dates as written), for laying it out. */
export type SiweMessageText = {
  scheme?: string;
  domain: string;
  address: string;
  statement?: string;
  uri: string;
  version: string;
  chainId: number;
  nonce: string;
  issuedAt: string;
  expirationTime?: string;
  notBefore?: string;
  requestId?: string;
  /** Written, with its "Resources:" line, whenever present (even empty, as the ABNF allows). */
  resources?: string[];
};

/**
 * EIP-4361's layout, field for field, in its order, lines ending in LF alone. The writer
 * above checks its input first; the server (core/wallet/siwe-message.ts) lays a parsed
 * message out again to prove the parse gave back exactly the signed text.
 */
export function layOutSiweMessage(fields: SiweMessageText): string {
  const scheme = fields.scheme === undefined ? "" : `${fields.scheme}://`;
  const lines = [
    `${scheme}${fields.domain} wants you to sign in with your Ethereum account:`,
    fields.address,
    "",
  ];
  // With a statement: a blank line, the statement, a blank line; without: two blank lines.
  if (fields.statement) lines.push(fields.statement);
  lines.push(
    "",
    `URI: ${fields.uri}`,
    `Version: ${fields.version}`,
    `Chain ID: ${fields.chainId}`,
    `Nonce: ${fields.nonce}`,
    `Issued At: ${fields.issuedAt}`,
  );
  if (fields.expirationTime !== undefined) lines.push(`Expiration Time: ${fields.expirationTime}`);
  if (fields.notBefore !== undefined) lines.push(`Not Before: ${fields.notBefore}`);
  if (fields.requestId !== undefined) lines.push(`Request ID: ${fields.requestId}`);
  if (fields.resources !== undefined) {
    lines.push("Resources:", ...fields.resources.map((resource) => `- ${resource}`));
  }
  return lines.join("\n");
}
