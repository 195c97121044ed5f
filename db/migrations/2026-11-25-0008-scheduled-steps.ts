import { sql, type Kysely } from "kysely";

// Frozen: never edit a migration after it has landed; add a new one.
//
// Periodic work that one instance at a time should do (refreshing gamification for the
// people active lately). Its work runs in many short transactions of its own (the reward
// engine's), so no single transaction can hold a lock for it: an instance claims the step
// here, under an advisory lock, and holds it for a lease that ends when it finishes or
// when the lease runs out (so a crashed instance's step is taken up by another).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table scheduled_steps (
      name text primary key,
      -- Claimed until then, by the claim with this token; null when nobody runs the step.
      running_until timestamptz,
      claim text,
      last_started_at timestamptz,
      last_finished_at timestamptz
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table scheduled_steps`.execute(db);
}
