import type { Db } from "#db/create-db.ts";
import { parseMicro } from "#shared/money.ts";
import { insertMissingRules } from "./reward-rules.repository.ts";
import { createBudget, fundBudget } from "./reward.service.ts";

const DAY = 86_400;

export const defaultBudgets = [
  {
    id: "platform",
    name: "platform's daily emission",
    kind: "daily_emission",
    dailyAmount: parseMicro("10000"),
  },
  { id: "games", name: "games achievement budget", kind: "escrow" },
] as const;

/** The rules a new platform starts with; admins change them afterwards. */
export const defaultRules = [
  {
    actionKind: "account.welcome",
    label: "the welcome bonus",
    amount: parseMicro("1"),
    dailyCap: 1,
    perTargetDailyCap: null,
    holdSeconds: 0,
    budgetId: "platform",
  },
  {
    actionKind: "checkin.daily",
    label: "daily check-ins",
    amount: parseMicro("0.01"),
    dailyCap: 1,
    perTargetDailyCap: null,
    holdSeconds: 0,
    budgetId: "platform",
  },
  {
    actionKind: "post.created",
    label: "posts",
    amount: parseMicro("0.005"),
    dailyCap: 10,
    perTargetDailyCap: null,
    holdSeconds: DAY,
    budgetId: "platform",
  },
  {
    actionKind: "like.received",
    label: "likes on your posts",
    amount: parseMicro("0.001"),
    dailyCap: 500,
    // Each liker counts once a day per author: a ring of accounts liking each other's
    // every post earns little, while a newcomer's first likes pay in full.
    perTargetDailyCap: 1,
    holdSeconds: DAY,
    budgetId: "platform",
  },
  {
    actionKind: "like.given",
    label: "likes you give",
    amount: parseMicro("0.0002"),
    dailyCap: 50,
    perTargetDailyCap: 10,
    holdSeconds: DAY,
    budgetId: "platform",
  },
  {
    actionKind: "comment.created",
    label: "comments",
    amount: parseMicro("0.002"),
    dailyCap: 20,
    perTargetDailyCap: 5,
    holdSeconds: DAY,
    budgetId: "platform",
  },
  {
    actionKind: "follow.received",
    label: "new followers",
    amount: parseMicro("0.001"),
    dailyCap: 100,
    perTargetDailyCap: 1,
    holdSeconds: 3 * DAY,
    budgetId: "platform",
  },
  {
    actionKind: "game.achievement",
    label: "game achievements",
    amount: parseMicro("0.05"),
    dailyCap: 20,
    perTargetDailyCap: null,
    holdSeconds: DAY,
    budgetId: "games",
  },
] as const;

/** Idempotent: creates missing budgets and rules; never overwrites an admin's edits. */
export async function ensurePlatformDefaults(db: Db): Promise<void> {
  for (const budget of defaultBudgets) {
    await createBudget(db, {
      ...budget,
      ...("dailyAmount" in budget ? { dailyAmount: budget.dailyAmount } : {}),
    });
  }
  await fundBudget(db, "games", parseMicro("50000"), "funding:games:initial");
  await insertMissingRules(db, defaultRules);
}
