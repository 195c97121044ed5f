import { getUserByHandle, getUsersByIds } from "#core/auth/user.service.ts";
import type { User } from "#core/auth/user.ts";
import { builder } from "../builder.ts";

export const UserRef = builder.objectRef<User>("User");

// Other files add the fields they own: sessions, wallet, rewards, progress, profile, …
builder.node(UserRef, {
  description: "A person on Tributary.",
  id: { resolve: (user) => user.id },
  loadMany: (ids, context) => getUsersByIds(context.services.db, ids),
  fields: (t) => ({
    handle: t.exposeString("handle"),
    displayName: t.exposeString("displayName"),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    email: t.string({
      nullable: true,
      description: "Only visible to the user themself; null for everyone else.",
      resolve: (user, _args, context) => (context.viewer?.user.id === user.id ? user.email : null),
    }),
    emailVerified: t.boolean({
      nullable: true,
      description:
        "Whether the user confirmed their email address by the link we sent. Only visible " +
        "to the user themself; null for everyone else.",
      resolve: (user, _args, context) => {
        if (context.viewer?.user.id !== user.id) return null;
        // A User made from a public profile lacks the column; the session's account has it.
        return (user.emailVerifiedAt ?? context.viewer.user.emailVerifiedAt) != null;
      },
    }),
  }),
});

builder.queryFields((t) => ({
  viewer: t.field({
    type: UserRef,
    nullable: true,
    description: "The signed-in user, or null when nobody is signed in.",
    resolve: (_root, _args, context) => context.viewer?.user ?? null,
  }),
  user: t.field({
    type: UserRef,
    nullable: true,
    args: { handle: t.arg.string({ required: true }) },
    resolve: (_root, args, context) => getUserByHandle(context.services.db, args.handle),
  }),
}));
