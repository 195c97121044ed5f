import type { ColumnType, Generated } from "kysely";
import type { DefaultedTimestamp, Timestamp } from "./schema.ts";

type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>;

export interface GamesTable {
  id: string;
  title: string;
  description: Generated<string>;
  owner_id: string | null;
  reward_kind: string;
  rules_version: number | null;
  created_at: DefaultedTimestamp;
}

export type GameRunStatus = "issued" | "verified" | "rejected";

export interface GameRunsTable {
  id: Generated<string>;
  user_id: string;
  game_id: string;
  seed: string;
  rules_version: number;
  issued_at: DefaultedTimestamp;
  expires_at: Timestamp;
  status: ColumnType<GameRunStatus, GameRunStatus | undefined, GameRunStatus>;
  submitted_at: NullableTimestamp;
  score: number | null;
  perfect: boolean | null;
  ticks: number | null;
  input_count: number | null;
  rejection_code: string | null;
  rejection_reason: string | null;
}

export type AchievementKind =
  "first_finish" | "score_at_least" | "perfect_run" | "days_in_row" | "reported";

export interface AchievementsTable {
  id: string;
  game_id: string;
  title: string;
  description: string;
  kind: AchievementKind;
  threshold: number | null;
  share_thousandths: Generated<number>;
  sort_order: Generated<number>;
}

export interface UserAchievementsTable {
  user_id: string;
  achievement_id: string;
  earned_at: DefaultedTimestamp;
  run_id: string | null;
  reward_id: ColumnType<bigint | null, bigint | string | null | undefined, bigint | string | null>;
}

export interface GamesTables {
  games: GamesTable;
  game_runs: GameRunsTable;
  achievements: AchievementsTable;
  user_achievements: UserAchievementsTable;
}
