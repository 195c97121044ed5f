/** The largest id a Postgres bigint column holds. */
export const MAX_ROW_ID = 9_223_372_036_854_775_807n;

/**
 * Whether `id` could name a row at all. A larger one (a form's 19 digits allow it) would make
 * Postgres fail the query instead of finding nothing, so callers answer "not found" first.
 */
export function isRowId(id: bigint): boolean {
  return id > 0n && id <= MAX_ROW_ID;
}
