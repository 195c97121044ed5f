import { sql } from "kysely";
import type { Db } from "#db/create-db.ts";
import {
  type AccountStanding,
  BURST_REWARDS,
  BURST_WINDOW_MINUTES,
  GAME_PACING_WINDOW_DAYS,
  isRing,
  RING_WINDOW_DAYS,
} from "./risk-signals.ts";

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/**
 * A burst is counted among the account's newest rewards only (by id, newest first, on
 * rewards_user_idx): filtering by time inside the scan walked every reward the account ever
 * had, on every batch, and halved the engine's throughput (bench:ledger). Ids follow time,
 * so the newest few hundred hold any burst that can fire.
 */
const BURST_COUNT_LIMIT = 4 * BURST_REWARDS;

type StandingRow = {
  id: string;
  activated_at: string | null;
  unactivated_earned: string | null;
  recent_rewards: number | null;
  game_rejections: number | null;
  ring: { engagers: number; reciprocated: number; engagements: number } | null;
};

/** Who engaged with `u.id` (liked its posts or comments, commented on its posts, followed it) since `since`. */
function engagersOf(since: string) {
  return sql`(
      select pl.user_id as who from post_likes pl join posts p on p.id = pl.post_id
        where p.author_id = u.id and pl.user_id <> u.id and pl.created_at > ${since}::timestamptz
      union all
      select cl.user_id from comment_likes cl join comments c on c.id = cl.comment_id
        where c.author_id = u.id and cl.user_id <> u.id and cl.created_at > ${since}::timestamptz
      union all
      select c.author_id from comments c join posts p on p.id = c.post_id
        where p.author_id = u.id and c.author_id <> u.id and c.created_at > ${since}::timestamptz
      union all
      select f.follower_id from follows f
        where f.followee_id = u.id and f.created_at > ${since}::timestamptz
    )`;
}

/**
 * The standing of each account in `full` (activation, what it earned before activating,
 * its recent burst of rewards, its refused game runs, and for those in `ring` whether it
 * sits in a closed ring) and just the activation of those in `activationOnly`: one
 * statement, no locks. An account missing from the result does not exist.
 */
export async function readStandings(
  db: Db,
  wanted: { full: string[]; ring: string[]; activationOnly: string[]; now: Date },
): Promise<Map<string, AccountStanding>> {
  const ids = [...new Set([...wanted.full, ...wanted.activationOnly])];
  const standings = new Map<string, AccountStanding>();
  if (ids.length === 0) return standings;
  const now = wanted.now.getTime();
  const nowIso = wanted.now.toISOString();
  const burstSince = new Date(now - BURST_WINDOW_MINUTES * MINUTE_MS).toISOString();
  const gameSince = new Date(now - GAME_PACING_WINDOW_DAYS * DAY_MS).toISOString();
  const ringSince = new Date(now - RING_WINDOW_DAYS * DAY_MS).toISOString();
  const { rows } = await sql<StandingRow>`
    select u.id, u.activated_at,
      case when u.activated_at is null and u.id = any(${sql.val(wanted.full)}::uuid[]) then
        (select coalesce(sum(r.amount), 0)::text from rewards r
          where r.user_id = u.id and r.status in ('held', 'available'))
      end as unactivated_earned,
      case when u.id = any(${sql.val(wanted.full)}::uuid[]) then
        (select count(*)::int from (select r.status, r.created_at from rewards r
          where r.user_id = u.id order by r.id desc limit ${BURST_COUNT_LIMIT}) recent
          where recent.status <> 'refused' and recent.created_at > ${burstSince}::timestamptz
            and recent.created_at <= ${nowIso}::timestamptz)
      end as recent_rewards,
      case when u.id = any(${sql.val(wanted.full)}::uuid[]) then
        (select count(*)::int from game_runs g
          where g.user_id = u.id and g.status = 'rejected'
            and g.rejection_code in ('too_fast', 'inhuman_input')
            and g.submitted_at > ${gameSince}::timestamptz and g.submitted_at <= ${nowIso}::timestamptz)
      end as game_rejections,
      case when u.id = any(${sql.val(wanted.ring)}::uuid[]) then
        (select json_build_object(
            'engagers', count(distinct e.who),
            'engagements', count(*),
            'reciprocated', count(distinct e.who) filter (where
              exists (select 1 from follows f2 where f2.follower_id = u.id and f2.followee_id = e.who)
              or exists (select 1 from post_likes pl2 join posts p2 on p2.id = pl2.post_id
                where pl2.user_id = u.id and p2.author_id = e.who)))
          from ${engagersOf(ringSince)} e)
      end as ring
    from users u
    where u.id = any(${sql.val(ids)}::uuid[])`.execute(db);
  for (const row of rows) {
    standings.set(row.id, {
      activatedAt: row.activated_at === null ? null : new Date(row.activated_at),
      unactivatedEarned: BigInt(row.unactivated_earned ?? "0"),
      recentRewards: row.recent_rewards ?? 0,
      gameRejections: row.game_rejections ?? 0,
      ringMembers: row.ring && isRing(row.ring) ? row.ring.engagers : null,
    });
  }
  return standings;
}
