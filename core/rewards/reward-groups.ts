import type { UserId } from "#core/auth/ids.ts";
import { inRetryingTransaction } from "#core/ledger/transfers.service.ts";
import { withoutControlCharacters } from "#core/plain-text.ts";
import { err, ok, type Result } from "#core/result.ts";
import type { Db } from "#db/create-db.ts";
import { APPEAL_MESSAGE_MAX_LENGTH, APPEAL_MESSAGE_MIN_LENGTH } from "#shared/text-limits.ts";
import {
  hasHeldGroup,
  insertGroupAppeals,
  listDecidedAppealRows,
  listHeldGroupRows,
  listNewestHeldRewardIds,
  type HeldGroupRow,
} from "./reward-groups.repository.ts";
import { getRewardsByIds, type RewardRecord } from "./reward-queries.ts";

// Held and refused rewards, one line per reason. A reward held for its rule's hold period
// (or a reduced share's) releases by itself on a timer: nobody decides, so there is
// nothing to appeal, only a date. A reward held for review waits for a person, and a
// refusal (a cap, an empty budget, a paused rule) is final unless a person pays it: those
// are the groups an appeal is for.

/** The reasons where a person decides, so one appeal per group makes sense. */
const appealableReasons = new Set([
  "held:risk_review",
  "refused:daily_cap",
  "refused:target_cap",
  "refused:budget_exhausted",
  "refused:rule_disabled",
  "refused:none",
]);

/** What a group is in a person's words: a title and one line on what happens next. */
const groupWords: Record<string, { title: string; explanation: string }> = {
  "held:hold_period": {
    title: "Pending while they can still be undone",
    explanation: "These release to your available balance by themselves; nothing to do.",
  },
  "held:reduced_share": {
    title: "Paid at a reduced share, pending",
    explanation: "These release by themselves at the reduced share.",
  },
  "held:risk_review": {
    title: "Held for review",
    explanation:
      "A check fired on these, so they wait for the check to clear or for a person to decide. Tell us about yourself in one appeal.",
  },
  "refused:daily_cap": {
    title: "Refused: daily cap reached",
    explanation:
      "Each action pays a limited number of times a day. A person can look again if you appeal.",
  },
  "refused:target_cap": {
    title: "Refused: daily cap from one source reached",
    explanation:
      "One person's likes or follows pay a limited number of times a day. A person can look again if you appeal.",
  },
  "refused:budget_exhausted": {
    title: "Refused: the budget had run out",
    explanation: "The budget paying these was empty at the time. A person can pay them on appeal.",
  },
  "refused:rule_disabled": {
    title: "Refused: rewards were paused",
    explanation: "Rewards for these actions were paused. A person can pay them on appeal.",
  },
};

export type HeldGroupStatus = "held" | "refused";

/** One line of the wallet: every held or refused reward of the user that shares a reason. */
export type HeldRewardGroup = {
  /** "<status>:<reason code>", e.g. "held:risk_review": what an appeal names. */
  key: string;
  status: HeldGroupStatus;
  reasonCode: string;
  title: string;
  explanation: string;
  /** The newest reward's own reason, in words. */
  latestReason: string | null;
  count: number;
  total: bigint;
  /** When the first of them releases by itself; null when none will without a person. */
  earliestRelease: Date | null;
  /** Whether a person decides these, so appealing them makes sense. */
  isAppealable: boolean;
  /** Rewards in the group without an appeal yet (the next group appeal covers them). */
  unappealedCount: number;
  openAppealCount: number;
  deniedAppealCount: number;
  latestAppealMessage: string | null;
  latestDenialReason: string | null;
  /** When the newest reward of the group was earned. */
  latestAt: Date;
  /** The newest rewards of the group (at most REWARDS_PER_GROUP), newest first. */
  rewards: RewardRecord[];
};

export const REWARDS_PER_GROUP = 10;

const KEY_TEXT = /^(held|refused):([a-z_]{1,40})$/;

/** A group key as a form or an API sends it; null for anything that is not one. */
export function parseGroupKey(key: string): { status: HeldGroupStatus; reasonCode: string } | null {
  const match = KEY_TEXT.exec(key);
  return match ? { status: match[1] as HeldGroupStatus, reasonCode: match[2]! } : null;
}

function wordsFor(key: string, status: HeldGroupStatus) {
  return (
    groupWords[key] ??
    (status === "held"
      ? { title: "Held", explanation: "These release when their hold ends." }
      : { title: "Refused", explanation: "These were not paid. A person can look again." })
  );
}

function toGroup(row: HeldGroupRow, rewards: RewardRecord[]): HeldRewardGroup {
  const key = `${row.status}:${row.reason_code}`;
  const isAppealable = appealableReasons.has(key);
  // Review holds carry a date too, but only a person (or the check clearing) releases them.
  const releasesByItself = row.status === "held" && row.reason_code !== "risk_review";
  return {
    key,
    status: row.status,
    reasonCode: row.reason_code,
    ...wordsFor(key, row.status),
    latestReason: row.latest_reason,
    count: row.count,
    total: BigInt(row.total),
    earliestRelease: releasesByItself ? row.earliest_release : null,
    isAppealable,
    unappealedCount: row.unappealed,
    openAppealCount: row.open_appeals,
    deniedAppealCount: row.denied_appeals,
    latestAppealMessage: row.latest_appeal_message,
    latestDenialReason: row.latest_denial_reason,
    latestAt: row.latest_at,
    rewards: rewards.filter(
      (reward) => `${reward.status}:${reward.reason?.code ?? "none"}` === key,
    ),
  };
}

/**
 * The user's held and refused rewards grouped by reason, those a person decides first,
 * then the newest; each with its newest few rewards. Two queries and a batch read.
 */
export async function listHeldRewardGroups(db: Db, userId: UserId): Promise<HeldRewardGroup[]> {
  const [rows, ids] = await Promise.all([
    listHeldGroupRows(db, userId),
    listNewestHeldRewardIds(db, userId, REWARDS_PER_GROUP),
  ]);
  const rewards = (await getRewardsByIds(db, ids)).filter(
    (reward): reward is RewardRecord => reward !== null && reward.userId === userId,
  );
  return rows
    .map((row) => toGroup(row, rewards))
    .sort(
      (a, b) =>
        Number(b.isAppealable) - Number(a.isAppealable) ||
        b.latestAt.getTime() - a.latestAt.getTime(),
    );
}

export type DecidedAppeals = {
  status: "approved" | "denied";
  decisionReason: string | null;
  count: number;
  total: bigint;
  decidedAt: Date;
};

/** Appeals decided in the last 30 days, one line per outcome and reason, newest first. */
export async function listRecentAppealDecisions(
  db: Db,
  userId: UserId,
  now = new Date(),
): Promise<DecidedAppeals[]> {
  const rows = await listDecidedAppealRows(db, userId, {
    since: new Date(now.getTime() - 30 * 86_400_000),
    limit: 5,
  });
  return rows.map((row) => ({
    status: row.status,
    decisionReason: row.decision_reason,
    count: row.count,
    total: BigInt(row.total),
    decidedAt: row.decided_at,
  }));
}

export type GroupAppealFailure =
  | { code: "not_found"; message: string }
  | { code: "not_appealable"; message: string }
  | { code: "invalid_message"; message: string };

export type GroupAppealOutcome = {
  key: string;
  /** Appeals this call opened; 0 when a retry found the group already appealed. */
  appealedCount: number;
};

/**
 * One appeal for a whole group: opens the per-reward appeal (the admin's queue) for every
 * reward of the group that has none, in one transaction, with one message. Idempotent: a
 * retry opens nothing more. Another user's group, or one the user has nothing in, is not
 * found.
 */
export async function appealRewardGroup(
  db: Db,
  userId: UserId,
  groupKey: string,
  message: string,
): Promise<Result<GroupAppealOutcome, GroupAppealFailure>> {
  const group = parseGroupKey(groupKey);
  if (!group)
    return err({ code: "not_found", message: "No such group of rewards in your wallet." });
  const text = withoutControlCharacters(message).trim();
  if (text.length < APPEAL_MESSAGE_MIN_LENGTH || text.length > APPEAL_MESSAGE_MAX_LENGTH) {
    return err({
      code: "invalid_message",
      message: `Explain your appeal in ${APPEAL_MESSAGE_MIN_LENGTH}–${APPEAL_MESSAGE_MAX_LENGTH} characters.`,
    });
  }
  const key = `${group.status}:${group.reasonCode}`;
  return inRetryingTransaction(db, async (trx) => {
    if (!(await hasHeldGroup(trx, userId, group))) {
      return err({ code: "not_found", message: "No such group of rewards in your wallet." });
    }
    if (!appealableReasons.has(key)) {
      return err({
        code: "not_appealable",
        message:
          "These rewards release by themselves when their hold ends; there is nothing to appeal.",
      });
    }
    const opened = await insertGroupAppeals(trx, { userId, ...group, message: text });
    return ok({ key, appealedCount: opened.length });
  });
}
