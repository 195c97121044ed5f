import {
  findBudgets,
  insertMissingRules,
  listRules,
} from "#core/rewards/reward-rules.repository.ts";
import type { Db } from "#db/create-db.ts";
import { parseMicro } from "#shared/money.ts";
import { raiseRuleHold } from "./quests.repository.ts";
import { questHoldSeconds } from "./quests.ts";
import { gamificationKinds } from "./xp-table.ts";

/** The platform budget pays this layer's bonuses, like the rest of everyday activity. */
export const GAMIFICATION_BUDGET_ID = "platform";

/**
 * The reward rules for this layer's own bonuses. Each rule's amount is the largest
 * bonus; smaller milestones and quests pay a share of it.
 */
export const gamificationRules = [
  {
    actionKind: gamificationKinds.streakBonus,
    label: "streak bonuses",
    amount: parseMicro("0.1"),
    dailyCap: 2,
    perTargetDailyCap: null,
    holdSeconds: 0,
  },
  {
    actionKind: gamificationKinds.questReward,
    label: "weekly quest rewards",
    amount: parseMicro("0.05"),
    dailyCap: 10,
    perTargetDailyCap: null,
    // Raised to questHoldSeconds (the longest hold of what quests count, plus a margin)
    // by alignQuestRewardHold: a quest's reward waits until its actions can't be undone.
    holdSeconds: 0,
  },
] as const;

/** What repairing a broken streak costs, from the available balance: 0.02 MICRO. */
export const STREAK_REPAIR_PRICE = parseMicro("0.02");

const ensured = new WeakSet<Db>();

/**
 * Creates the rules once the platform budget exists (the platform defaults create it
 * after migrations run). Idempotent; never overwrites an admin's edits.
 */
export async function ensureGamificationRules(db: Db): Promise<void> {
  if (ensured.has(db)) return;
  const [budget] = await findBudgets(db, [GAMIFICATION_BUDGET_ID]);
  if (!budget) return;
  await insertMissingRules(
    db,
    gamificationRules.map((rule) => ({ ...rule, budgetId: GAMIFICATION_BUDGET_ID })),
  );
  await alignQuestRewardHold(db);
  ensured.add(db);
}

/**
 * Keeps the quest reward's hold at least as long as the longest hold of the actions quests
 * count, plus the refresh's margin (questHoldSeconds), so a quest reward is never released
 * while the actions behind it can still be undone. Only ever raises it; the refresh runs
 * it each time, so a longer hold an admin gives likes or follows reaches quests too.
 */
export async function alignQuestRewardHold(db: Db): Promise<void> {
  const needed = questHoldSeconds(await listRules(db));
  await raiseRuleHold(db, gamificationKinds.questReward, needed);
}
