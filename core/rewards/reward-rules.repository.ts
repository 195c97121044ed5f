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

/** The columns of a rule an admin may change; absent ones stay as they are. */
export type RuleColumnChange = {
  amount?: bigint;
  dailyCap?: number | null;
  perTargetDailyCap?: number | null;
  holdSeconds?: number;
  isEnabled?: boolean;
};

/** Returns whether the rule exists (and so was updated). */
export async function updateRule(
  db: Db,
  actionKind: string,
  change: RuleColumnChange,
  by: { adminId: string; at: Date },
): Promise<boolean> {
  const result = await db
    .updateTable("reward_rules")
    .set({
      ...(change.amount !== undefined ? { amount: change.amount.toString() } : {}),
      ...(change.dailyCap !== undefined ? { daily_cap: change.dailyCap } : {}),
      ...(change.perTargetDailyCap !== undefined
        ? { per_target_daily_cap: change.perTargetDailyCap }
        : {}),
      ...(change.holdSeconds !== undefined ? { hold_seconds: change.holdSeconds } : {}),
      ...(change.isEnabled !== undefined ? { is_enabled: change.isEnabled } : {}),
      updated_at: by.at,
      updated_by: by.adminId,
    })
    .where("action_kind", "=", actionKind)
    .executeTakeFirst();
  return result.numUpdatedRows !== 0n;
}

/** Inserts the rules that do not exist yet; existing ones are left as they are. */
export async function insertMissingRules(
  db: Db,
  rules: readonly {
    actionKind: string;
    label: string;
    amount: bigint;
    dailyCap: number | null;
    perTargetDailyCap: number | null;
    holdSeconds: number;
    budgetId: string;
  }[],
): Promise<void> {
  await db
    .insertInto("reward_rules")
    .values(
      rules.map((rule) => ({
        action_kind: rule.actionKind,
        label: rule.label,
        amount: rule.amount,
        daily_cap: rule.dailyCap,
        per_target_daily_cap: rule.perTargetDailyCap,
        hold_seconds: rule.holdSeconds,
        budget_id: rule.budgetId,
      })),
    )
    .onConflict((oc) => oc.column("action_kind").doNothing())
    .execute();
}

/** Inserts a budget unless one with its id exists. */
export async function insertBudget(
  db: Db,
  budget: Omit<RewardBudget, "dailyAmount"> & { dailyAmount: bigint | null },
): Promise<void> {
  await db
    .insertInto("reward_budgets")
    .values({
      id: budget.id,
      name: budget.name,
      kind: budget.kind,
      daily_amount: budget.dailyAmount,
      account_id: budget.accountId,
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
}
