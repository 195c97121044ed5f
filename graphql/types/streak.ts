import type { StreakStatus } from "#core/gamification/progress.service.ts";
import { repairStreak } from "#core/gamification/streak-repair.ts";
import { builder } from "../builder.ts";
import { ErrorInterface, NotSignedInError } from "./errors.ts";

const StreakRepairUnavailableReasonEnum = builder.enumType("StreakRepairUnavailableReason", {
  values: {
    NOT_BROKEN: { value: "not_broken", description: "No recently broken streak to repair." },
    TOO_LATE: { value: "too_late", description: "More than 48 hours after the missed day." },
    GAP_TOO_LONG: { value: "gap_too_long", description: "More than one day is missing." },
    USED_THIS_MONTH: { value: "used_this_month", description: "One repair a calendar month." },
  } as const,
});

const StreakRepairOfferRef = builder
  .objectRef<StreakStatus["repair"]>("StreakRepairOffer")
  .implement({
    description:
      "Whether a broken streak can be repaired now: once a calendar month, within 48 hours after the missed day, for `price` from the available balance.",
    fields: (t) => ({
      isAvailable: t.exposeBoolean("isAvailable"),
      day: t.string({
        nullable: true,
        description: "The missed day a repair would cover (YYYY-MM-DD, UTC).",
        resolve: (o) => (o.isAvailable ? o.day : null),
      }),
      deadline: t.field({
        type: "DateTime",
        nullable: true,
        resolve: (o) => (o.isAvailable ? o.deadline : null),
      }),
      restoredLength: t.int({
        nullable: true,
        description: "The streak's length once repaired.",
        resolve: (o) => (o.isAvailable ? o.restoredLength : null),
      }),
      price: t.expose("price", { type: "TokenAmount" }),
      unavailableReason: t.field({
        type: StreakRepairUnavailableReasonEnum,
        nullable: true,
        resolve: (o) => (o.isAvailable ? null : o.reason),
      }),
      message: t.string({
        nullable: true,
        description: "Why a repair is not available, in words.",
        resolve: (o) => (o.isAvailable ? null : o.message),
      }),
    }),
  });

export const StreakRef = builder.objectRef<StreakStatus>("Streak").implement({
  description:
    "Days in a row with a rewarded action (UTC). One missed day a week is frozen automatically; frozen and repaired days keep a streak without lengthening it.",
  fields: (t) => ({
    length: t.exposeInt("length", { description: "Active days in the current streak." }),
    startedOn: t.exposeString("startedOn", { nullable: true, description: "YYYY-MM-DD." }),
    isTodayDone: t.exposeBoolean("isTodayDone", {
      description: "False until something rewarded happens today (UTC).",
    }),
    freezesPerWeek: t.exposeInt("freezesPerWeek"),
    freezesLeftThisWeek: t.exposeInt("freezesLeftThisWeek"),
    frozenDays: t.exposeStringList("frozenDays"),
    repairedDays: t.exposeStringList("repairedDays"),
    nextMilestone: t.exposeInt("nextMilestone", {
      nullable: true,
      description: "Days at which the next streak bonus is paid.",
    }),
    repair: t.field({ type: StreakRepairOfferRef, resolve: (s) => s.repair }),
  }),
});

export class StreakRepairUnavailableError extends Error {
  constructor(
    message: string,
    readonly reason: "not_broken" | "too_late" | "gap_too_long" | "used_this_month",
  ) {
    super(message);
  }
}
export class InsufficientBalanceError extends Error {}

builder.objectType(StreakRepairUnavailableError, {
  name: "StreakRepairUnavailableError",
  description: "There is no streak to repair now, or the monthly repair was used.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    reason: t.expose("reason", { type: StreakRepairUnavailableReasonEnum }),
  }),
});

builder.objectType(InsufficientBalanceError, {
  name: "InsufficientBalanceError",
  description: "The available balance cannot pay for this; nothing was charged.",
  interfaces: [ErrorInterface],
  fields: () => ({}),
});

const RepairStreakPayloadRef = builder
  .objectRef<{ streak: StreakStatus; repairedDay: string; price: bigint }>("RepairStreakPayload")
  .implement({
    fields: (t) => ({
      streak: t.field({ type: StreakRef, resolve: (p) => p.streak }),
      repairedDay: t.exposeString("repairedDay", { description: "YYYY-MM-DD." }),
      price: t.expose("price", {
        type: "TokenAmount",
        description: "Paid from the available balance into the platform's reward budget.",
      }),
    }),
  });

builder.mutationFields((t) => ({
  repairStreak: t.field({
    type: RepairStreakPayloadRef,
    description:
      "Repairs a streak broken by one missed day: once a calendar month, within 48 hours after that day, for a small price from the available balance (see Streak.repair).",
    errors: { types: [NotSignedInError, StreakRepairUnavailableError, InsufficientBalanceError] },
    resolve: async (_root, _args, context) => {
      if (!context.viewer) throw new NotSignedInError();
      const result = await repairStreak(context.services, context.viewer.user.id);
      if (!result.ok) {
        const { code, message } = result.error;
        if (code === "insufficient_balance") throw new InsufficientBalanceError(message);
        throw new StreakRepairUnavailableError(message, code);
      }
      return result.value;
    },
  }),
}));
