/** The largest id a Postgres bigint column holds. */
export const MAX_ROW_ID = 9_223_372_036_854_775_807n;

/**
 * Whether `id` could name a row at all. A larger one (a form's 19 digits allow it) would make
 * Postgres fail the query instead of finding nothing, so callers answer "not found" first.
 */
export function isRowId(id: bigint): boolean {
  return id > 0n && id <= MAX_ROW_ID;
}

/**
 * How an id is written in a form, a link or a GraphQL argument: 1 to 19 digits, no leading
 * zero. 19 digits still allow ids past MAX_ROW_ID; `isRowId` tells those apart.
 */
export const ROW_ID_TEXT = /^[1-9][0-9]{0,18}$/;
