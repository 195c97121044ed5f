import { sql, type Kysely } from "kysely";

// Frozen: never edit a migration after it has landed; add a new one.
//
// A statement that is its own transaction (the reward engine writes a batch in one
// autocommit statement) cannot be rolled back by its caller after it looks at the result:
// the checks have to run inside the statement and abort it. Plain SQL has no expression
// that raises an error, so this is one: `refuse_statement('why')` in a CASE branch aborts
// the statement with SQLSTATE TR001 and the reason as the message (core/ledger/ledger-error.ts).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create function refuse_statement(reason text) returns boolean
    language plpgsql volatile as $$
    begin
      raise exception '%', reason using errcode = 'TR001';
    end $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function refuse_statement(text)`.execute(db);
}
