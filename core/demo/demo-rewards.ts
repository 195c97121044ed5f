import type { UserId } from "#core/auth/ids.ts";
import { checkIn, grantWelcomeBonus } from "#core/rewards/check-in.ts";
import type { SeedContext } from "./seed-demo-data.ts";
import { listDemoUsers } from "./demo.repository.ts";

/** Each demo user has a welcome bonus and a check-in in their wallet. */
export async function seedDemoRewards({ db, rewards }: SeedContext): Promise<void> {
  const users = await listDemoUsers(db);
  const results = await Promise.all(
    users.flatMap((user) => [
      grantWelcomeBonus(rewards, { id: user.id as UserId }),
      checkIn(rewards, user.id as UserId),
    ]),
  );
  const failed = results.find((result) => !result.ok);
  if (failed && !failed.ok) throw new Error(`demo rewards: ${failed.error.message}`);
}
