import {
  activationStepWords,
  getActivationStatus,
  type ActivationStatus,
  type ActivationStep,
} from "#core/integrity/activation.ts";
import { builder } from "../builder.ts";
import { UserRef } from "./user.ts";

const ActivationStepEnum = builder.enumType("ActivationStep", {
  values: {
    VERIFY_EMAIL: { value: "verify_email", description: "Verify the account's email address." },
    ESTABLISHED_ENGAGEMENT: {
      value: "established_engagement",
      description: "A like, comment or follow from an established member.",
    },
  } as const satisfies Record<string, { value: ActivationStep; description: string }>,
});

const MissingStepRef = builder
  .objectRef<{ step: ActivationStep }>("ActivationMissingStep")
  .implement({
    fields: (t) => ({
      step: t.expose("step", { type: ActivationStepEnum }),
      description: t.string({ resolve: ({ step }) => activationStepWords[step] }),
    }),
  });

const ActivationRef = builder.objectRef<ActivationStatus>("Activation").implement({
  description:
    "Whether the account is activated: a verified email and a like, comment or follow from an established member. Welcome bonuses are paid at activation, and before it only the daily check-in is paid without review.",
  fields: (t) => ({
    isActivated: t.exposeBoolean("isActivated"),
    activatedAt: t.expose("activatedAt", { type: "DateTime", nullable: true }),
    missing: t.field({
      type: [MissingStepRef],
      description: "What is still missing, in order; empty once activated.",
      resolve: (status) => status.missing.map((step) => ({ step })),
    }),
  }),
});

builder.objectField(UserRef, "activation", (t) =>
  t.field({
    type: ActivationRef,
    nullable: true,
    description:
      "The account's activation and what it still needs. Only visible to the user themself.",
    authScopes: (user, _args, context) => context.viewer?.user.id === user.id,
    resolve: (user, _args, context) => getActivationStatus(context.services.db, user.id),
  }),
);
