import { sql, type Kysely } from "kysely";

// Frozen: never edit a migration after it has landed; add a new one.
//
// An admin's decision on an appeal is news to the user who appealed (issue #17):
// notifications get the kind `reward_appeal`, one per appealed reward (its dedupe key).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table notifications drop constraint notifications_kind_check`.execute(db);
  await sql`
    alter table notifications add constraint notifications_kind_check
      check (kind in ('like', 'comment', 'reply', 'follow', 'mention', 'repost', 'reward_review',
                      'reward_appeal'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from notifications where kind = 'reward_appeal'`.execute(db);
  await sql`alter table notifications drop constraint notifications_kind_check`.execute(db);
  await sql`
    alter table notifications add constraint notifications_kind_check
      check (kind in ('like', 'comment', 'reply', 'follow', 'mention', 'repost', 'reward_review'))`.execute(
    db,
  );
}
