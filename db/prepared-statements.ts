import { sql, type RawBuilder } from "kysely";
import pg from "pg";

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
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`Bad prepared statement name: ${name}`);
  return sql.raw(`/* prepared: ${name} */ `);
}

const mark = /^\/\* prepared: ([a-z][a-z0-9-]*) \*\/ /;

/**
 * A pg client that sends statements marked by `preparedAs` as named prepared statements.
 * A named statement's text must stay the same: pg refuses a second text under one name.
 */
export class PreparingClient extends pg.Client {
  // pg's query() has many overloads; Kysely calls the (text, values) one, which is the
  // only one this changes.
  override query(...args: unknown[]): never {
    const [text, values] = args;
    const name = typeof text === "string" && args.length <= 2 ? mark.exec(text)?.[1] : undefined;
    const query = super.query as (...a: unknown[]) => never;
    return name ? query.call(this, { name, text, values }) : query.apply(this, args);
  }
}
