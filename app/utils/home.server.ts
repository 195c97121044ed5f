import type { HomeView, StreamBar } from "#app/components/home/home-views.ts";
import { loadEarningPace } from "#app/utils/earning-pace.server.ts";
import { timeStamp } from "#app/utils/time-stamp.server.ts";
import type { UserId } from "#core/auth/ids.ts";
import { getProgress, type GamificationDeps } from "#core/gamification/progress.service.ts";
import { streakMilestones } from "#core/gamification/streak-rules.ts";
import { gamificationKinds } from "#core/gamification/xp-table.ts";
import { getNextSteps, questHref, questPays, sharePaid } from "#core/home/next-steps.ts";
import { STREAMS_COMING_SOON } from "#core/rewards/earning-guide.ts";
import { listRewards, type RewardRecord } from "#core/rewards/reward-queries.ts";
import { rewardStreamWords, streamOf } from "#core/rewards/reward-streams.ts";
import { listRewardRules } from "#core/rewards/reward.service.ts";
import { displayAmount, type DisplayAmount } from "#shared/money.ts";

/** How many of the latest rewards the home lists before pointing to the wallet. */
export const RECENT_REWARDS = 5;

const statusWords: Record<RewardRecord["status"], string> = {
  available: "Paid",
  held: "Pending",
  refused: "Refused",
  reversed: "Taken back",
};

/** A share of the widest bar, in whole percent; anything earned shows at least a sliver. */
function widthOf(value: bigint, widest: bigint): number {
  if (value <= 0n || widest <= 0n) return 0;
  return Math.max(2, Number((value * 100n) / widest));
}

const amountOrNull = (amount: bigint | null): DisplayAmount | null =>
  amount === null ? null : displayAmount(amount);

/**
 * Everything the signed-in home shows, in one call: the pace and the earnings by stream,
 * the streak, this week's quests with what each pays, the latest rewards and what to do
 * next. Reads progress once (which pays any streak bonus or quest reward that is due).
 */
export async function loadHome(
  deps: GamificationDeps,
  userId: UserId,
  now = new Date(),
): Promise<HomeView> {
  const { db } = deps;
  const progress = await getProgress(deps, userId, now);
  const [pace, rewards, rules, nextSteps] = await Promise.all([
    loadEarningPace(db, userId, now),
    listRewards(db, userId, { limit: RECENT_REWARDS }),
    listRewardRules(db),
    getNextSteps(deps, userId, { now, progress }),
  ]);
  const ruleOf = new Map(rules.map((rule) => [rule.actionKind, rule]));

  const weekly = pace.byStream.map((s) => BigInt(s.thisWeek.units));
  const widest = weekly.reduce((most, value) => (value > most ? value : most), 0n);
  const streams: StreamBar[] = pace.byStream.map((s) => ({
    stream: s.stream,
    label: s.label,
    description: s.description,
    today: s.today,
    thisWeek: s.thisWeek,
    todayWidth: widthOf(BigInt(s.today.units), widest),
    weekWidth: widthOf(BigInt(s.thisWeek.units), widest),
  }));

  const { streak } = progress;
  const milestone = streakMilestones.find((m) => m.days === streak.nextMilestone);
  const streakRule = ruleOf.get(gamificationKinds.streakBonus);

  return {
    pace,
    streams,
    hasEarnedThisWeek: widest > 0n,
    streak: {
      length: streak.length,
      isTodayDone: streak.isTodayDone,
      freezesLeftThisWeek: streak.freezesLeftThisWeek,
      nextMilestone: streak.nextMilestone,
      nextMilestonePays: milestone
        ? amountOrNull(sharePaid(streakRule, milestone.shareThousandths))
        : null,
    },
    level: { level: progress.level.level, xp: progress.level.xp },
    quests: progress.quests.map((q) => ({
      id: q.quest.id,
      title: q.quest.title,
      description: q.quest.description,
      progress: q.progress,
      target: q.target,
      isCompleted: q.isCompleted,
      isBonus: q.quest.isBonus === true,
      pays: amountOrNull(questPays(ruleOf, q.quest)),
      href: questHref(q.quest),
    })),
    questsEnd: timeStamp(progress.quests[0]?.endsAt ?? now, now).full,
    recentRewards: rewards.map((reward) => {
      const stream = streamOf(reward.actionKind);
      return {
        id: reward.id.toString(),
        memo: reward.memo,
        amount: displayAmount(reward.amount),
        status: reward.status,
        statusWords: statusWords[reward.status],
        stream: rewardStreamWords[stream].label,
        at: timeStamp(reward.createdAt, now),
      };
    }),
    nextSteps: nextSteps.map((step) => ({
      kind: step.kind,
      title: step.title,
      detail: step.detail,
      href: step.href,
      pays: amountOrNull(step.pays),
    })),
  };
}

/** What the signed-out home lists as still to come, from the earning guide's one list. */
export const streamsComingSoon: readonly string[] = STREAMS_COMING_SOON;
