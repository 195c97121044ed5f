import {
  rewardStreams,
  rewardStreamWords,
  type RewardStream,
} from "#core/rewards/reward-streams.ts";
import {
  getEarningPace,
  type EarningPace,
  type StreamEarnings,
} from "#core/wallet/earning-pace.ts";
import { toReferenceRate, type ReferenceRate } from "#shared/reference-value.ts";
import { builder } from "../builder.ts";
import { UserRef } from "./user.ts";

/** The income streams rewards are grouped by (core/rewards/reward-streams.ts); reuse this ref. */
export const RewardStreamEnum = builder.enumType("RewardStream", {
  description: "An income stream: the grouping of reward kinds the home chart and wallet use.",
  values: Object.fromEntries(
    rewardStreams.map((stream) => [
      stream.toUpperCase(),
      { value: stream, description: rewardStreamWords[stream].description },
    ]),
  ) as Record<Uppercase<RewardStream>, { value: RewardStream; description: string }>,
});

const StreamEarningsRef = builder.objectRef<StreamEarnings>("StreamEarnings").implement({
  description: "What one income stream earned today and over the last seven days.",
  fields: (t) => ({
    stream: t.expose("stream", { type: RewardStreamEnum }),
    label: t.string({
      description: 'The stream\'s name for people, e.g. "Daily habits".',
      resolve: (earnings) => rewardStreamWords[earnings.stream].label,
    }),
    today: t.expose("today", { type: "TokenAmount" }),
    thisWeek: t.expose("thisWeek", { type: "TokenAmount" }),
  }),
});

type DailyEarnings = EarningPace["daily"][number];

const DailyEarningsRef = builder.objectRef<DailyEarnings>("DailyEarnings").implement({
  description: "What was earned on one UTC day.",
  fields: (t) => ({
    day: t.exposeString("day", { description: "The UTC date, YYYY-MM-DD." }),
    amount: t.expose("amount", { type: "TokenAmount" }),
  }),
});

const EarningPaceRef = builder.objectRef<EarningPace>("EarningPace").implement({
  description:
    "What the user earned today and this week, and what the recurring streams add up to in a year at this pace. Counts held and available rewards; reversed and refused ones earned nothing.",
  fields: (t) => ({
    today: t.expose("today", {
      type: "TokenAmount",
      description: "Earned since the start of today (UTC).",
    }),
    thisWeek: t.expose("thisWeek", {
      type: "TokenAmount",
      description: "Earned over the last seven UTC days, today included.",
    }),
    yearAtPace: t.expose("yearAtPace", {
      type: "TokenAmount",
      description:
        "The recurring streams' last seven days × 365 / 7, rounded down; one-off bonuses are left out.",
    }),
    byStream: t.expose("byStream", {
      type: [StreamEarningsRef],
      description: "Every stream, in the one order, zeros included.",
    }),
    daily: t.expose("daily", {
      type: [DailyEarningsRef],
      description: "The last seven UTC days, oldest first.",
    }),
    asOf: t.expose("asOf", { type: "DateTime", description: "When the figures were read." }),
  }),
});

builder.objectField(UserRef, "earningPace", (t) =>
  t.field({
    type: EarningPaceRef,
    nullable: true,
    description: "The user's earning pace. Only visible to the user themself.",
    authScopes: (user, _args, context) => context.viewer?.user.id === user.id,
    resolve: (user, _args, context) => getEarningPace(context.services.db, user.id),
  }),
);

const ReferenceValueRef = builder.objectRef<ReferenceRate>("ReferenceValue").implement({
  description:
    "What 1 MICRO is worth in a familiar currency, for a sense of scale: a rate the operator set, or a made-up demo rate.",
  fields: (t) => ({
    currency: t.exposeString("currency", { description: "ISO 4217 code, e.g. USD." }),
    ratePerMicro: t.exposeString("ratePerMicro", {
      description: 'The value of 1 MICRO in `currency`, as a decimal string, e.g. "1" or "0.01".',
    }),
    isDemo: t.exposeBoolean("isDemo", {
      description: "True when the rate is made up for the demo and is not a price.",
    }),
  }),
});

builder.queryField("referenceValue", (t) =>
  t.field({
    type: ReferenceValueRef,
    nullable: true,
    description:
      "The reference rate amounts are shown at in the user's currency; null when none is configured.",
    resolve: (_root, _args, context) => toReferenceRate(context.services.config.referenceValue),
  }),
);
