import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RewardEngine } from "#core/rewards/reward-engine.ts";
import { preparedAs, REPLAN_EVERY } from "#db/prepared-statements.ts";
import { createUser } from "#tests/support/factories.ts";
import { openTestDb, testBackends, type Backend, type TestDb } from "#tests/support/test-db.ts";

/** The named prepared statements of the pool's one connection (Postgres only). */
async function preparedOnConnection(testDb: TestDb): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select name from pg_prepared_statements order by name`.execute(testDb.db);
  return rows.map((r) => r.name);
}

function withOneConnection(backend: Backend) {
  const state = {} as { testDb: TestDb };
  beforeAll(async () => {
    // One connection, so what the statements leave behind is on the connection we ask.
    state.testDb = await openTestDb(backend, { poolSize: 1 });
  });
  afterAll(() => state.testDb.close());
  return state;
}

describe.each(testBackends())("statements marked preparedAs on %s", (backend) => {
  const state = withOneConnection(backend);
  const sumOf = (values: number[]) =>
    sql<{ total: string }>`${preparedAs("probe-sum")}
      select coalesce(sum(v), 0)::text as total from unnest(${sql.val(values)}::int[]) as v`;

  it("give the same answers as unmarked statements, call after call with new parameters", async () => {
    for (const values of [[1, 2, 3], [], [40, 2], [7]]) {
      const { rows } = await sumOf(values).execute(state.testDb.db);
      expect(rows[0]!.total).toBe(String(values.reduce((a, b) => a + b, 0)));
    }
  });

  it("refuse a name that could not be told apart from the statement", () => {
    expect(() => preparedAs("Bad name */ drop table users; --")).toThrow(
      /Bad prepared statement name/,
    );
  });
});

// Only Postgres keeps prepared statements; on PGlite the mark is a comment (tested above).
describe.each(testBackends().filter((b) => b === "postgres"))(
  "prepared statements on %s",
  (backend) => {
    const state = withOneConnection(backend);

    it("are parsed once per connection as named statements; unmarked statements are not kept", async () => {
      const before = await preparedOnConnection(state.testDb);
      const echo = (n: number) =>
        sql<{ n: number }>`${preparedAs("probe-echo")} select ${n}::int as n`.execute(
          state.testDb.db,
        );
      expect((await echo(1)).rows).toEqual([{ n: 1 }]);
      expect((await echo(2)).rows).toEqual([{ n: 2 }]);
      await sql`select 1 as unmarked`.execute(state.testDb.db);
      const after = await preparedOnConnection(state.testDb);
      expect(after.filter((name) => !before.includes(name))).toEqual(["probe-echo"]);
    });

    it("the reward engine's batch statements are kept prepared", async () => {
      const { user } = await createUser(state.testDb.db);
      const engine = new RewardEngine(state.testDb.db);
      const result = await engine.reward({
        actionKind: "post.created",
        userId: user.id,
        causeId: `post-${user.id}`,
        memo: "You posted",
      });
      expect(result.ok).toBe(true);
      expect(await preparedOnConnection(state.testDb)).toEqual(
        expect.arrayContaining(["reward-batch-read", "reward-batch-write"]),
      );
    });

    it("a plan made while a table was tiny is made again once the table has grown", async () => {
      const db = state.testDb.db;
      // No autovacuum on this table (only the client's re-planning may change the plan), and
      // generic plans from the first call, so the plan under test is the one kept.
      await sql`create table probe_keys (k text primary key) with (autovacuum_enabled = false)`.execute(
        db,
      );
      await sql`insert into probe_keys values ('a'), ('b'), ('c')`.execute(db);
      await sql`analyze probe_keys`.execute(db);
      await sql`set plan_cache_mode = force_generic_plan`.execute(db);
      try {
        const lookup = (keys: string[]) =>
          sql`${preparedAs("probe-lookup")}
            select count(*) from probe_keys where k = any(${sql.val(keys)}::text[])`.execute(db);
        const plan = async () => {
          const { rows } = await sql<{ "QUERY PLAN": string }>`
            explain execute "probe-lookup"('{a,b}')`.execute(db);
          return rows.map((r) => r["QUERY PLAN"]).join("\n");
        };
        await lookup(["a", "b"]);
        expect(await plan()).toMatch(/Seq Scan on probe_keys/);

        await sql`insert into probe_keys select 'k' || g from generate_series(1, 50000) as g`.execute(
          db,
        );
        for (let i = 0; i < 10; i++) await lookup(["a", "b"]);
        // Still the plan made for three rows: this is what re-planning is for.
        expect(await plan()).toMatch(/Seq Scan on probe_keys/);
        for (let i = 0; i < REPLAN_EVERY; i++) await lookup(["a", "b"]);
        const grown = await plan();
        expect(grown).not.toMatch(/Seq Scan/);
        expect(grown).toMatch(/Index/);
      } finally {
        await sql`reset plan_cache_mode`.execute(db);
      }
    });
  },
);
