import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDb, type Db } from "#db/create-db.ts";
import { migrateToLatest } from "#db/migrate.ts";

describe("PGlite access is serialised", () => {
  let db: Db;
  beforeEach(async () => {
    db = createDb({ kind: "pglite", dataDir: null });
    await migrateToLatest(db);
    await sql`create table probe (label text not null)`.execute(db);
  });
  afterEach(() => db.destroy());

  it("a query issued while another request's transaction is open survives that transaction's rollback", async () => {
    let insideTransaction!: () => void;
    const transactionStarted = new Promise<void>((resolve) => (insideTransaction = resolve));

    const failingTransaction = db.transaction().execute(async (trx) => {
      await trx
        .insertInto("probe" as never)
        .values({ label: "rolled back" } as never)
        .execute();
      insideTransaction();
      // Give the outside query every chance to slip into this transaction.
      await new Promise((resolve) => setTimeout(resolve, 50));
      throw new Error("roll back");
    });
    await transactionStarted;
    const outsideWrite = db
      .insertInto("probe" as never)
      .values({ label: "independent" } as never)
      .execute();

    await expect(failingTransaction).rejects.toThrow("roll back");
    await outsideWrite;
    const rows = await sql<{ label: string }>`select label from probe`.execute(db);
    expect(rows.rows.map((row) => row.label)).toEqual(["independent"]);
  });

  it("int8 comes back as bigint and numeric(78,0) as an exact string", async () => {
    const { rows } = await sql<{ big: bigint; small: bigint; amount: string }>`
      select 9007199254740993::int8 as big, 5::int8 as small,
             123456789012345678901234567890::numeric(78,0) as amount`.execute(db);
    expect(rows[0]?.big).toBe(9007199254740993n);
    expect(rows[0]?.small).toBe(5n);
    expect(rows[0]?.amount).toBe("123456789012345678901234567890");
  });
});
