import type { UserId } from "#core/auth/ids.ts";
import { rewardStreamWords } from "#core/rewards/reward-streams.ts";
import { getEarningPace } from "#core/wallet/earning-pace.ts";
import type { Db } from "#db/create-db.ts";
import { displayAmount } from "#shared/money.ts";
import type { EarningPaceView } from "#app/components/earnings/earning-pace-card.tsx";

export type { EarningPaceView };

/** The user's earning pace ready for the browser: amounts as DisplayAmount, streams labelled. */
export async function loadEarningPace(
  db: Db,
  userId: UserId,
  now?: Date,
): Promise<EarningPaceView> {
  const pace = await getEarningPace(db, userId, now);
  return {
    today: displayAmount(pace.today),
    thisWeek: displayAmount(pace.thisWeek),
    yearAtPace: displayAmount(pace.yearAtPace),
    byStream: pace.byStream.map((s) => ({
      stream: s.stream,
      label: rewardStreamWords[s.stream].label,
      description: rewardStreamWords[s.stream].description,
      today: displayAmount(s.today),
      thisWeek: displayAmount(s.thisWeek),
    })),
    daily: pace.daily.map((d) => ({ day: d.day, amount: displayAmount(d.amount) })),
    asOf: pace.asOf.toISOString(),
  };
}
