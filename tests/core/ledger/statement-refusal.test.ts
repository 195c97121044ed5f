import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statementRefusal } from "#core/ledger/ledger-error.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";

// The reward engine writes a batch in one autocommit statement that checks itself with
// refuse_statement (migration 0010); these are the two properties it relies on.
describe.each(testBackends())("a statement that refuses itself on %s", (backend) => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await openTestDb(backend);
    await sql`create table refusal_probe (n int primary key)`.execute(testDb.db);
  });
  afterAll(() => testDb?.close());

  const insertThenCheck = (values: number[], most: number) =>
    sql<{ refused: boolean | null; written: string }>`
      with w as (
        insert into refusal_probe (n) select unnest(${sql.val(values)}::int[])
        on conflict do nothing returning n)
      select
        case when (select count(*) from w) <> ${most}
          then refuse_statement('retry_batch: probe wrote ' || (select count(*) from w))
        end as refused,
        (select count(*) from w)::text as written`.execute(testDb.db);

  it("aborts with its reason when its check fails, and nothing it wrote remains", async () => {
    await insertThenCheck([1, 2], 2);
    const error = await insertThenCheck([2, 3, 4], 3).catch((e: unknown) => e);
    expect(statementRefusal(error)).toBe("retry_batch: probe wrote 2");
    const { rows } = await sql<{ n: number }>`select n from refusal_probe order by n`.execute(
      testDb.db,
    );
    expect(rows.map((r) => r.n)).toEqual([1, 2]);
  });

  it("commits when its check holds; other errors are not taken for refusals", async () => {
    const { rows } = await insertThenCheck([5, 6], 2);
    expect(rows[0]).toEqual({ refused: null, written: "2" });
    const other = await sql`select 1 / 0`.execute(testDb.db).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(Error);
    expect(statementRefusal(other)).toBeNull();
  });
});
