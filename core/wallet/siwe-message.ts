import { ParsedMessage } from "@spruceid/siwe-parser";
import { layOutSiweMessage, type SiweMessageInput } from "#shared/siwe-message-text.ts";

/**
 * An EIP-4361 message read strictly by its ABNF: every field as the text has it (the domain
 * with any userinfo and case, the address EIP-55 checksummed as the grammar requires).
 */
export type SiweMessageFields = Omit<SiweMessageInput, "version"> & { version: "1" };

const rfc3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, 0);
  return date.getUTCDate();
}

/**
 * An RFC 3339 date-time, or null. A date that does not exist (Feb 31, Apr 31, Feb 29 outside
 * a leap year) is refused rather than rolled over into the next month, as Date would do.
 * Leap seconds (":60") are refused too: Date cannot represent them.
 */
export function parseRfc3339(value: string): Date | null {
  const match = rfc3339.exec(value);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as number[];
  const [offsetHour, offsetMinute] = [Number(match[7] ?? 0), Number(match[8] ?? 0)];
  if (
    month! < 1 ||
    month! > 12 ||
    day! < 1 ||
    day! > daysInMonth(year!, month!) ||
    hour! > 23 ||
    minute! > 59 ||
    second! > 59 ||
    offsetHour > 23 ||
    offsetMinute > 59
  ) {
    return null;
  }
  const date = new Date(value.toUpperCase());
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Reads an EIP-4361 message by the EIP's ABNF (spruceid's parser, by the EIP's authors):
 * fields in the EIP's order and nothing after the last, an EIP-55 address, a one-line
 * statement, RFC 3986 URIs, RFC 3339 dates that exist. Null when the text is anything else.
 */
export function parseSiweMessageText(text: string): SiweMessageFields | null {
  let parsed: ParsedMessage;
  try {
    parsed = new ParsedMessage(text);
  } catch {
    return null;
  }
  // The parser fills fields from callbacks as it goes; writing them back out must give the
  // very text that was signed, so no field can hold anything but what the signer saw there.
  if (layOutSiweMessage(parsed) !== text) return null;

  const issuedAt = parseRfc3339(parsed.issuedAt);
  const expirationTime =
    parsed.expirationTime === undefined ? undefined : parseRfc3339(parsed.expirationTime);
  const notBefore = parsed.notBefore === undefined ? undefined : parseRfc3339(parsed.notBefore);
  if (
    parsed.version !== "1" ||
    !Number.isSafeInteger(parsed.chainId) ||
    parsed.chainId <= 0 ||
    !issuedAt ||
    expirationTime === null ||
    notBefore === null
  ) {
    return null;
  }
  return {
    ...(parsed.scheme === undefined ? {} : { scheme: parsed.scheme }),
    domain: parsed.domain,
    address: parsed.address as `0x${string}`,
    ...(parsed.statement ? { statement: parsed.statement } : {}),
    uri: parsed.uri,
    version: "1",
    chainId: parsed.chainId,
    nonce: parsed.nonce,
    issuedAt,
    ...(expirationTime ? { expirationTime } : {}),
    ...(notBefore ? { notBefore } : {}),
    ...(parsed.requestId === undefined ? {} : { requestId: parsed.requestId }),
    ...(parsed.resources === undefined ? {} : { resources: parsed.resources }),
  };
}
