import type { ColumnType, Generated } from "kysely";
import type { DefaultedTimestamp, Serial } from "./schema.ts";

type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>;
/** int8 comes back as bigint (see createDb). */
type BigIntColumn = ColumnType<bigint, bigint | number | string, bigint | number | string>;
type DefaultedBigInt = ColumnType<
  bigint,
  bigint | number | string | undefined,
  bigint | number | string
>;
/** numeric(78,0) comes back as an exact decimal string. */
type Amount = ColumnType<string, bigint | string, bigint | string>;
/**
 * A date column, written as "YYYY-MM-DD". Drivers differ in how they read dates (pg makes
 * a local-midnight Date), so queries select these as text (`day::text`).
 */
type DateColumn = ColumnType<string, string, string>;

export interface GamificationFoldTable {
  id: number;
  through_reward_id: DefaultedBigInt;
  candidate_reward_id: DefaultedBigInt;
  candidate_seen_at: DefaultedTimestamp;
  xp_table_version: Generated<number>;
  folded_at: NullableTimestamp;
}

export interface GamificationFoldChangesTable {
  id: Serial;
  reward_id: BigIntColumn;
  user_id: string;
  action_kind: string;
  day: DateColumn;
  amount: Amount;
  direction: number;
}

export interface UserActivityTable {
  user_id: string;
  day: DateColumn;
  action_kind: string;
  actions: number;
  xp: BigIntColumn;
  earned: Amount;
}

export interface UserProgressTable {
  user_id: string;
  xp: DefaultedBigInt;
  actions: DefaultedBigInt;
  trust_level: Generated<number>;
  trust_evaluated_at: NullableTimestamp;
  streak_bonus_paid: string | null;
  updated_at: DefaultedTimestamp;
}

export interface SeasonsTable {
  id: string;
  name: string;
  starts_at: ColumnType<Date, Date | string, Date | string>;
  ends_at: ColumnType<Date, Date | string, Date | string>;
}

export interface StreakRepairsTable {
  user_id: string;
  month: string;
  repaired_day: DateColumn;
  price: Amount;
  transfer_id: ColumnType<bigint | null, bigint | null | undefined, bigint | null>;
  created_at: DefaultedTimestamp;
}

export interface QuestCompletionsTable {
  user_id: string;
  week_start: DateColumn;
  quest_id: string;
  completed_at: DefaultedTimestamp;
  reward_id: ColumnType<bigint | null, bigint | string | null | undefined, bigint | string | null>;
  /** 1 for the first completion in the week; each completion after a reversal adds one. */
  attempt: Generated<number>;
  /** When its reward was reversed because the actions behind it were undone. */
  reversed_at: NullableTimestamp;
}

export interface UserBadgesTable {
  user_id: string;
  badge_id: string;
  earned_at: DefaultedTimestamp;
}

export interface GamificationTables {
  gamification_fold: GamificationFoldTable;
  gamification_fold_changes: GamificationFoldChangesTable;
  user_activity: UserActivityTable;
  user_progress: UserProgressTable;
  seasons: SeasonsTable;
  streak_repairs: StreakRepairsTable;
  quest_completions: QuestCompletionsTable;
  user_badges: UserBadgesTable;
}
