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

export async function findRules(db: Db, kinds: readonly string[]): Promise<RewardRule[]> {
  if (kinds.length === 0) return [];
  const rows = await db
    .selectFrom("reward_rules")
    .selectAll()
    .where("action_kind", "in", kinds)
    .execute();
  return rows.map((row) => ({
    actionKind: row.action_kind,
    label: row.label,
    amount: BigInt(row.amount),
    dailyCap: row.daily_cap,
    perTargetDailyCap: row.per_target_daily_cap,
    holdSeconds: row.hold_seconds,
    budgetId: row.budget_id,
    isEnabled: row.is_enabled,
    updatedAt: row.updated_at,
  }));
}

export async function listRules(db: Db): Promise<RewardRule[]> {
  const rows = await db
    .selectFrom("reward_rules")
    .select("action_kind")
    .orderBy("action_kind")
    .execute();
  return findRules(
    db,
    rows.map((row) => row.action_kind),
  ).then((rules) => rules.sort((a, b) => a.actionKind.localeCompare(b.actionKind)));
}

export async function findBudgets(db: Db, ids: readonly string[]): Promise<RewardBudget[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom("reward_budgets").selectAll().where("id", "in", ids).execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    kind: row.kind,
    dailyAmount: row.daily_amount === null ? null : BigInt(row.daily_amount),
    accountId: BigInt(row.account_id),
  }));
}
