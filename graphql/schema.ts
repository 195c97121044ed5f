import { lexicographicSortSchema, printSchema } from "graphql";
import { builder } from "./builder.ts";
import "./types/scalars.ts";
import "./types/errors.ts";
import "./types/user.ts";
import "./types/session.ts";
import "./types/auth.ts";
import "./types/sign-out.ts";
import "./types/account-email.ts";
import "./types/wallet-entry.ts";
import "./types/wallet.ts";
import "./types/reward.ts";
import "./types/reward-appeal.ts";
import "./types/reward-rule.ts";
import "./types/check-in.ts";
import "./types/reward-landed.ts";
import "./types/wallet-link.ts";
import "./types/settlement-epoch.ts";
import "./types/claim-proof.ts";
import "./types/user-settlement.ts";
import "./types/relayed-claim.ts";
import "./types/profile.ts";
import "./types/avatar.ts";
import "./types/social-errors.ts";
import "./types/text-segment.ts";
import "./types/post.ts";
import "./types/comment.ts";
import "./types/like.ts";
import "./types/feed.ts";
import "./types/follow.ts";
import "./types/notification.ts";
import "./types/moderation.ts";
import "./types/achievement.ts";
import "./types/game-leaderboard.ts";
import "./types/game.ts";
import "./types/game-run.ts";
import "./types/badge.ts";
import "./types/season.ts";
import "./types/trust-status.ts";
import "./types/quest.ts";
import "./types/streak.ts";
import "./types/progress.ts";
import "./types/ranking.ts";
import "./types/xp-leaderboard.ts";
import "./types/earners-leaderboard.ts";
import "./types/reward-review.ts";
import "./types/activation.ts";
import "./types/earning-guide.ts";
import "./types/earning-pace.ts";
import "./types/next-steps.ts";

export const schema = builder.toSchema();

/** The SDL committed as graphql/schema.graphql; a test fails when the two drift apart. */
export function printSchemaSdl(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
