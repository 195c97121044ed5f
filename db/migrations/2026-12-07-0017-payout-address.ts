import { sql, type Kysely } from "kysely";

// Frozen: never edit a migration after it has landed; add a new one.
//
// Settlement without a browser wallet (issue #17): a payout address may also be pasted,
// confirmed by the account's password instead of a signature. A pasted address carries no
// SIWE message, signature or chain, and receives settlements only from `receives_from`
// (its cooling-off period); a signed link receives from the moment it is linked. The
// one-active-link-per-user and per-address indexes hold for both kinds.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table wallet_links
    add column kind text not null default 'siwe',
    add column receives_from timestamptz`.execute(db);
  await sql`update wallet_links set receives_from = linked_at`.execute(db);
  await sql`alter table wallet_links
    alter column receives_from set not null,
    alter column kind drop default,
    alter column siwe_message drop not null,
    alter column signature drop not null,
    alter column chain_id drop not null,
    add constraint wallet_links_kind check (kind in ('siwe', 'pasted')),
    add constraint wallet_links_siwe_is_signed check (
      kind <> 'siwe' or (siwe_message is not null and signature is not null and chain_id is not null)
    ),
    add constraint wallet_links_pasted_is_unsigned check (
      kind <> 'pasted' or (siwe_message is null and signature is null and chain_id is null)
    ),
    add constraint wallet_links_receives_after_linked check (receives_from >= linked_at)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from wallet_links where kind = 'pasted'`.execute(db);
  await sql`alter table wallet_links
    drop constraint wallet_links_receives_after_linked,
    drop constraint wallet_links_pasted_is_unsigned,
    drop constraint wallet_links_siwe_is_signed,
    drop constraint wallet_links_kind,
    alter column chain_id set not null,
    alter column signature set not null,
    alter column siwe_message set not null,
    drop column receives_from,
    drop column kind`.execute(db);
}
