import type { UserId } from "#core/auth/ids.ts";
import type { SeedContext } from "./seed-demo-data.ts";

/** Each demo user has a welcome bonus and a check-in in their wallet. */
export async function seedDemoRewards({ db, rewards }: SeedContext): Promise<void> {
  const users = await db
    .selectFrom("users")
    .select(["id", "handle"])
    .where("email", "like", "%@demo.tributary.test")
    .execute();
  const today = new Date().toISOString().slice(0, 10);
  const results = await Promise.all(
    users.flatMap((user) => [
      rewards.reward({
        actionKind: "account.welcome",
        userId: user.id as UserId,
        causeId: user.id,
        memo: "Welcome to Tributary",
      }),
      rewards.reward({
        actionKind: "checkin.daily",
        userId: user.id as UserId,
        causeId: `${user.id}:${today}`,
        memo: "Daily check-in",
      }),
    ]),
  );
  const failed = results.find((result) => !result.ok);
  if (failed && !failed.ok) throw new Error(`demo rewards: ${failed.error.message}`);
}
