import type { ColumnType } from "kysely";
import type { DefaultedTimestamp } from "./schema.ts";

type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>;

/** A named risk signal that held a reward for review; cleared when it no longer holds. */
export interface RewardRiskSignalsTable {
  reward_id: ColumnType<bigint, bigint | string, never>;
  code: string;
  message: string;
  engager_id: string | null;
  raised_at: DefaultedTimestamp;
  cleared_at: NullableTimestamp;
}

/** An admin's decision on a reward held for review: who, when, why. */
export interface RewardReviewDecisionsTable {
  reward_id: ColumnType<bigint, bigint | string, never>;
  decision: "approved" | "reversed";
  reason: string;
  decided_by: string;
  decided_at: DefaultedTimestamp;
}

/** Tables of reward integrity: risk signals, the review queue. */
export interface IntegrityTables {
  reward_risk_signals: RewardRiskSignalsTable;
  reward_review_decisions: RewardReviewDecisionsTable;
}
