import { sql } from "kysely";
import type { UserId } from "#core/auth/ids.ts";
import type { Db } from "#db/create-db.ts";

export type LeaderboardRow = { user_id: string; score: number; rank: number; is_viewer: boolean };

/**
 * Each visible player's best verified score in [startsAt, endsAt), ranked (ties: who got
 * there first), the top `limit` ranks plus the viewer's own row.
 */
export async function readLeaderboardRows(
  db: Db,
  gameId: string,
  range: { startsAt: Date; endsAt: Date },
  viewerId: UserId | null,
  limit: number,
): Promise<LeaderboardRow[]> {
  const { rows } = await sql<LeaderboardRow>`
    with best as (
      select distinct on (r.user_id) r.user_id, r.score, r.submitted_at
      from game_runs r join users u on u.id = r.user_id
      where r.game_id = ${gameId} and r.status = 'verified'
        and r.submitted_at >= ${range.startsAt} and r.submitted_at < ${range.endsAt}
        and u.hidden_at is null
      order by r.user_id, r.score desc, r.submitted_at
    ), ranked as (
      select user_id, score, rank() over (order by score desc, submitted_at)::int as rank from best
    )
    select user_id, score, rank, user_id = ${viewerId} as is_viewer from ranked
    where rank <= ${limit} or user_id = ${viewerId}
    order by rank`.execute(db);
  return rows;
}
