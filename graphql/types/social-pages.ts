import { GraphQLError } from "graphql";
import { InvalidCursorError } from "#core/social/cursor.ts";
import type { Page, SocialFailure } from "#core/social/social-types.ts";
import type { Result } from "#core/result.ts";

// Relay connections over core's keyset pages.
//
// Core pages by keyset and hands back one cursor: the one after a page's last item. A
// Relay edge needs a cursor of its own, so an edge before the last gets a "position":
// the cursor its page started after plus how many items of the page come before it.
// Paging on from a position asks core for that page again with room for the skipped
// items, which are then dropped. Clients that page with pageInfo.endCursor (as Relay
// and Apollo do) only ever send core's own cursors.

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** How far into a page (and the pages after it) an edge's position may point. */
const MAX_POSITION_SKIP = 5 * MAX_PAGE_SIZE;

export type PageArgs = {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
};

type Position = { after: string | null; skip: number };

const POSITION_PREFIX = "p.";

function encodePosition(position: Position): string {
  return POSITION_PREFIX + Buffer.from(JSON.stringify(position)).toString("base64url");
}

export function badPageInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT" } });
}

const invalidCursor = () => badPageInput(new InvalidCursorError().message);

function decodeAfter(after: string | null | undefined): Position {
  if (!after) return { after: null, skip: 0 };
  if (!after.startsWith(POSITION_PREFIX)) return { after, skip: 0 };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(after.slice(POSITION_PREFIX.length), "base64url").toString());
  } catch {
    throw invalidCursor();
  }
  const position = parsed as Partial<Position> | null;
  if (
    typeof position !== "object" ||
    position === null ||
    !(position.after === null || typeof position.after === "string") ||
    typeof position.skip !== "number" ||
    !Number.isInteger(position.skip) ||
    position.skip < 1 ||
    position.skip > MAX_POSITION_SKIP ||
    (position.after?.startsWith(POSITION_PREFIX) ?? false)
  ) {
    throw invalidCursor();
  }
  return { after: position.after, skip: position.skip };
}

export function pageSize(args: PageArgs, what: string): number {
  if (args.last != null || args.before != null) {
    throw badPageInput(`${what} page forwards only: use first and after.`);
  }
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (first < 1) throw badPageInput("first must be at least 1.");
  return Math.min(first, MAX_PAGE_SIZE);
}

/** Core's refusal of a page request (a bad cursor or tag) as a query error. */
export function pageOrThrow<T>(result: Result<Page<T>, SocialFailure>): Page<T> {
  if (!result.ok) throw badPageInput(result.error.message);
  return result.value;
}

export type Connection<N> = {
  edges: { cursor: string; node: N }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
};

/**
 * One page of a connection. `fetch` asks core for `limit` units after a core cursor;
 * `present` turns the items into nodes (null drops an item, e.g. by a hidden author).
 * A unit is one item, or for threaded lists the item `startsUnit` says begins one and
 * the items after it (a comment and its replies), so `first` counts threads.
 */
export async function pageConnection<T, N>(
  args: PageArgs,
  what: string,
  fetch: (page: { limit: number; after: string | null }) => Promise<Page<T>>,
  present: (items: T[]) => Promise<(N | null)[]>,
  startsUnit: (item: T) => boolean = () => true,
): Promise<Connection<N>> {
  const size = pageSize(args, what);
  const position = decodeAfter(args.after);
  let page: Page<T>;
  try {
    page = await fetch({ limit: position.skip + size, after: position.after });
  } catch (error) {
    if (error instanceof InvalidCursorError) throw invalidCursor();
    throw error;
  }
  // Which unit of the fetched page each item belongs to; the first `skip` units go.
  let unit = -1;
  const units = page.items.map((item) => (startsUnit(item) || unit < 0 ? ++unit : unit));
  const lastUnit = unit;
  const kept = page.items.flatMap((item, i) => (units[i]! >= position.skip ? [i] : []));
  const cursorAfterUnit = (u: number) =>
    u === lastUnit && page.nextCursor !== null
      ? page.nextCursor
      : encodePosition({ after: position.after, skip: u + 1 });
  const nodes = await present(kept.map((i) => page.items[i]!));
  const edges = kept.flatMap((i, k) => {
    const node = nodes[k];
    return node == null ? [] : [{ cursor: cursorAfterUnit(units[i]!), node }];
  });
  return {
    edges,
    pageInfo: {
      hasNextPage: page.nextCursor !== null,
      hasPreviousPage: position.after !== null || position.skip > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: kept.length > 0 ? cursorAfterUnit(lastUnit) : null,
    },
  };
}
