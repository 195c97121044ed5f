import { getNextSteps, type NextStep, type NextStepKind } from "#core/home/next-steps.ts";
import { builder } from "../builder.ts";
import { UserRef } from "./user.ts";

const NextStepKindEnum = builder.enumType("NextStepKind", {
  values: {
    VERIFY_EMAIL: {
      value: "verify_email",
      description: "Verify the account's email address.",
    },
    CHECK_IN: { value: "check_in", description: "Collect today's check-in." },
    ANSWER_POST: {
      value: "answer_post",
      description: "Comment on a recent post (by someone followed, else a popular one).",
    },
    QUEST: { value: "quest", description: "Finish this week's quest that is closest to done." },
    PLAY_GAME: { value: "play_game", description: "Play a game not played yet." },
    FIRST_POST: { value: "first_post", description: "Write a first post." },
    FOLLOW_PEOPLE: { value: "follow_people", description: "Follow someone." },
    COMPLETE_PROFILE: {
      value: "complete_profile",
      description: "Add a bio or a picture to the profile.",
    },
  } as const satisfies Record<string, { value: NextStepKind; description: string }>,
});

const NextStepRef = builder.objectRef<NextStep>("NextStep").implement({
  description: "Something worth doing next, worked out from where the viewer stands.",
  fields: (t) => ({
    kind: t.expose("kind", { type: NextStepKindEnum }),
    title: t.exposeString("title"),
    detail: t.exposeString("detail", { description: "One sentence on why or what exactly." }),
    href: t.exposeString("href", {
      description: "A path on the Tributary site where the step is done, e.g. /wallet.",
    }),
    pays: t.expose("pays", {
      type: "TokenAmount",
      nullable: true,
      description:
        "What doing it pays under the current rules, before daily caps and holds; null when it pays nothing directly.",
    }),
  }),
});

builder.objectField(UserRef, "nextSteps", (t) =>
  t.field({
    type: [NextStepRef],
    nullable: true,
    description:
      "What to do next, in the order worth doing: what the home page lists. Only visible to the user themself. Like `progress`, reading it pays any streak bonus or weekly quest reward that is due (each once).",
    authScopes: (user, _args, context) => context.viewer?.user.id === user.id,
    resolve: (user, _args, context) =>
      getNextSteps({ db: context.services.db, rewards: context.services.rewards }, user.id),
  }),
);
