import { sql, type Kysely } from "kysely";

// Frozen: never edit a migration after it has landed; add a new one.
// Lets the reward engine write a whole batch (transfers, rewards, counters, balances) as
// one autocommit statement that aborts itself when another batch got in the way: the
// statement's last step calls this with its own consistency check.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function reward_batch_check(is_consistent boolean, problem text) returns boolean
    language plpgsql as $$
    begin
      if not is_consistent then
        raise exception using errcode = 'TRB01', message = problem;
      end if;
      return true;
    end
    $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function reward_batch_check(boolean, text)`.execute(db);
}
