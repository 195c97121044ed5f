import { sql, type RawBuilder } from "kysely";
import pg from "pg";

/** A prepared statement's name: nothing that could end the comment that carries it. */
const NAME = "[a-z][a-z0-9-]*";
const validName = new RegExp(`^${NAME}$`);

/**
 * Hot statements whose text never changes can be sent as named prepared statements, so
 * Postgres parses and plans each once per connection instead of on every call. For the
 * reward engine's batch statements that planning was a fifth of the CPU a reward cost.
 * Only statements that ask for it are named: a statement whose text varies (an IN list,
 * an optional clause) would leave one prepared statement per variant on every connection.
 *
 * A statement asks by starting with `preparedAs(name)`. On PGlite the mark is only a
 * comment and the statement runs as before.
 */
export function preparedAs(name: string): RawBuilder<unknown> {
  if (!validName.test(name)) throw new Error(`Bad prepared statement name: ${name}`);
  return sql.raw(`/* prepared: ${name} */ `);
}

const mark = new RegExp(`^/\\* prepared: (${NAME}) \\*/ `);

/**
 * How many marked statements a connection runs between two re-plannings. A generic plan is
 * costed for the tables as they were when it was made: one made while a table was nearly
 * empty scans it whole, and keeps doing so as it grows, until the plan is made again.
 * Autovacuum's analyze would replace it, but not for a minute or more, and in that time a
 * new ledger ran ten times slower. Discarding a connection's plans every few hundred
 * batches bounds that, for the price of planning each statement again.
 */
export const REPLAN_EVERY = 200;

/**
 * A pg client that sends statements marked by `preparedAs` as named prepared statements.
 * A named statement's text must stay the same: pg refuses a second text under one name.
 */
export class PreparingClient extends pg.Client {
  private markedRuns = 0;

  // pg's query() has many overloads; Kysely calls the (text, values) one, which is the
  // only one this changes.
  override query(...args: unknown[]): never {
    const [text, values] = args;
    const name = typeof text === "string" && args.length <= 2 ? mark.exec(text)?.[1] : undefined;
    const query = super.query as (...a: unknown[]) => Promise<unknown>;
    if (!name) return query.apply(this, args) as never;
    if (++this.markedRuns % REPLAN_EVERY === 0) {
      // Queued ahead of the statement on this connection; allowed inside a transaction.
      // Should it fail, the statement after it reports the broken connection.
      query.call(this, "discard plans").catch(() => {});
    }
    return query.call(this, { name, text, values }) as never;
  }
}
