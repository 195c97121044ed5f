import type { Db } from "#db/create-db.ts";

export type RewardRule = {
  actionKind: string;
  label: string;
  amount: bigint;
  dailyCap: number | null;
  perTargetDailyCap: number | null;
  holdSeconds: number;
  budgetId: string;
  isEnabled: boolean;
  updatedAt: Date;
};

export type RewardBudget = {
  id: string;
  name: string;
  kind: "daily_emission" | "escrow";
  dailyAmount: bigint | null;
  accountId: bigint;
};

export type RuleColumns = {
  action_kind: string;
  label: string;
  amount: string;
  daily_cap: number | null;
  per_target_daily_cap: number | null;
  hold_seconds: number;
  budget_id: string;
  is_enabled: boolean;
  /** A Date from a query, an ISO string from json_agg. */
  updated_at: Date | string;
};

export function toRewardRule(row: RuleColumns): RewardRule {
  return {
    actionKind: row.action_kind,
    label: row.label,
    amount: BigInt(row.amount),
    dailyCap: row.daily_cap,
    perTargetDailyCap: row.per_target_daily_cap,
    holdSeconds: row.hold_seconds,
    budgetId: row.budget_id,
    isEnabled: row.is_enabled,
    updatedAt: new Date(row.updated_at),
  };
}

export function toRewardBudget(row: {
  id: string;
  name: string;
  kind: RewardBudget["kind"];
  daily_amount: string | null;
  account_id: bigint | string;
}): RewardBudget {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    dailyAmount: row.daily_amount === null ? null : BigInt(row.daily_amount),
    accountId: BigInt(row.account_id),
  };
}

export async function findRules(db: Db, kinds: readonly string[]): Promise<RewardRule[]> {
  if (kinds.length === 0) return [];
  const rows = await db
    .selectFrom("reward_rules")
    .selectAll()
    .where("action_kind", "in", kinds)
    .execute();
  return rows.map(toRewardRule);
}

export async function listRules(db: Db): Promise<RewardRule[]> {
  const rows = await db.selectFrom("reward_rules").selectAll().orderBy("action_kind").execute();
  return rows.map(toRewardRule);
}

export async function findBudgets(db: Db, ids: readonly string[]): Promise<RewardBudget[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom("reward_budgets").selectAll().where("id", "in", ids).execute();
  return rows.map(toRewardBudget);
}
