/**
 * Opaque keyset cursors: the sort key of the last row a page showed, as base64url JSON.
 * A cursor that does not decode to the expected shape is refused, never guessed at.
 */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

export class InvalidCursorError extends Error {
  readonly code = "invalid_cursor";
  constructor() {
    super("That page cursor is not valid here; start again from the first page.");
  }
}

/** Decodes a cursor whose parts must match `shape` ("s" string, "n" finite number). */
export function decodeCursor<const S extends readonly ("s" | "n")[]>(
  cursor: string,
  shape: S,
): { [K in keyof S]: S[K] extends "s" ? string : number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString());
  } catch {
    throw new InvalidCursorError();
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== shape.length ||
    !parsed.every((part, i) =>
      shape[i] === "s"
        ? typeof part === "string" && part.length <= 100
        : typeof part === "number" && Number.isFinite(part),
    )
  ) {
    throw new InvalidCursorError();
  }
  return parsed as never;
}

/** A decimal id from a cursor or a URL, or null when it is not one. */
export function parseId(value: unknown): bigint | null {
  if (typeof value === "bigint") return value > 0n ? value : null;
  if (typeof value === "number")
    return Number.isSafeInteger(value) && value > 0 ? BigInt(value) : null;
  if (typeof value !== "string" || !/^[1-9][0-9]{0,18}$/.test(value)) return null;
  const id = BigInt(value);
  return id <= 9_223_372_036_854_775_807n ? id : null;
}

/** Decodes a cursor that holds one row id (comments, notifications, reports page by id). */
export function decodeIdCursor(cursor: string): bigint {
  const id = parseId(decodeCursor(cursor, ["s"])[0]);
  if (id === null) throw new InvalidCursorError();
  return id;
}
