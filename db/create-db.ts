import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect, type Transaction } from "kysely";
import pg from "pg";
import { SerialPGliteDialect } from "./pglite-dialect.ts";
import { PreparingClient } from "./prepared-statements.ts";
import type { Database } from "./schema.ts";

export type Db = Kysely<Database>;
/** A transaction on the app database, for functions that must run inside the caller's. */
export type Trx = Transaction<Database>;

/** Where the data lives: embedded PGlite (on disk or in memory) or a Postgres server. */
export type DbTarget =
  { kind: "pglite"; dataDir: string | null } | { kind: "postgres"; url: string; poolSize?: number };

const INT8_OID = 20;

export function dbTargetFromConfig(config: {
  databaseUrl: string | undefined;
  dataDir: string;
}): DbTarget {
  return config.databaseUrl
    ? { kind: "postgres", url: config.databaseUrl }
    : { kind: "pglite", dataDir: path.join(config.dataDir, "pglite") };
}

/**
 * Opens the database. Both engines return int8 as bigint and numeric as string,
 * so the same queries see the same types whichever one runs underneath.
 */
export function createDb(target: DbTarget): Db {
  if (target.kind === "postgres") {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: target.poolSize ?? 10,
      Client: PreparingClient,
      types: {
        getTypeParser: ((oid: number, format?: "text" | "binary") =>
          oid === INT8_OID
            ? (value: string) => BigInt(value)
            : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    // An idle client's error (a server restart, a terminated backend) would otherwise crash
    // the process; the pool drops that client and the next query connects afresh.
    pool.on("error", () => {});
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }

  if (target.dataDir) fs.mkdirSync(target.dataDir, { recursive: true });
  // Options go in one object: with `new PGlite(undefined, options)` the options are ignored.
  const pglite = new PGlite({
    ...(target.dataDir ? { dataDir: target.dataDir } : {}),
    parsers: { [INT8_OID]: (value: string) => BigInt(value) },
  });
  return new Kysely<Database>({ dialect: new SerialPGliteDialect(pglite) });
}
