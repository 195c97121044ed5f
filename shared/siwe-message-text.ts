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
  const scheme = input.scheme === undefined ? "" : `${singleLine("scheme", input.scheme)}://`;
  const lines = [
    `${scheme}${singleLine("domain", input.domain)} wants you to sign in with your Ethereum account:`,
    input.address,
    "",
  ];
  // With a statement: a blank line, the statement, a blank line; without: two blank lines.
  if (input.statement !== undefined && input.statement !== "") {
    lines.push(singleLine("statement", input.statement));
  }
  lines.push(
    "",
    `URI: ${singleLine("URI", input.uri)}`,
    `Version: ${input.version ?? "1"}`,
    `Chain ID: ${input.chainId}`,
    `Nonce: ${input.nonce}`,
    `Issued At: ${input.issuedAt.toISOString()}`,
  );
  if (input.expirationTime) lines.push(`Expiration Time: ${input.expirationTime.toISOString()}`);
  if (input.notBefore) lines.push(`Not Before: ${input.notBefore.toISOString()}`);
  if (input.requestId !== undefined) {
    lines.push(`Request ID: ${singleLine("request id", input.requestId)}`);
  }
  if (input.resources && input.resources.length > 0) {
    lines.push("Resources:", ...input.resources.map((r) => `- ${singleLine("resource", r)}`));
  }
  return lines.join("\n");
}
