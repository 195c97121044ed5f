import { sql, type Kysely } from "kysely";

// Frozen: never edit a migration after it has landed; add a new one.
//
// The reward hot path writes a transfer per reward. Its foreign keys to ledger_accounts
// cost an index probe and a row lock per transfer (a key-share lock on the hot budget row
// from every batch at once); the ledger already proves both accounts exist in the same
// transaction, because moving their balances must update exactly the accounts a batch
// names, or it throws and rolls back (core/ledger/transfers.ts, applyTransferBalances).
// What the foreign keys also guaranteed, that an account with transfers is never deleted,
// a trigger now guarantees for every account. Balances and cap counters are updated on
// every reward: room left on each page lets those updates stay on the page (HOT), without
// new index entries.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table ledger_transfers
    drop constraint ledger_transfers_debit_account_id_fkey,
    drop constraint ledger_transfers_credit_account_id_fkey`.execute(db);
  await sql`create function ledger_accounts_are_permanent() returns trigger
    language plpgsql as $$
    begin
      raise exception 'ledger accounts are permanent: account % cannot be deleted', old.id
        using errcode = 'restrict_violation';
    end $$`.execute(db);
  await sql`create trigger ledger_accounts_are_permanent before delete on ledger_accounts
    for each row execute function ledger_accounts_are_permanent()`.execute(db);
  await sql`alter table ledger_accounts set (fillfactor = 80)`.execute(db);
  await sql`alter table reward_counters set (fillfactor = 80)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table reward_counters reset (fillfactor)`.execute(db);
  await sql`alter table ledger_accounts reset (fillfactor)`.execute(db);
  await sql`drop trigger ledger_accounts_are_permanent on ledger_accounts`.execute(db);
  await sql`drop function ledger_accounts_are_permanent()`.execute(db);
  await sql`alter table ledger_transfers
    add constraint ledger_transfers_debit_account_id_fkey
      foreign key (debit_account_id) references ledger_accounts (id),
    add constraint ledger_transfers_credit_account_id_fkey
      foreign key (credit_account_id) references ledger_accounts (id)`.execute(db);
}
