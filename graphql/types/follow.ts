import type { UserId } from "#core/auth/ids.ts";
import type { User } from "#core/auth/user.ts";
import { follow, listConnections, mute, unfollow, unmute } from "#core/social/follows.ts";
import { builder } from "../builder.ts";
import type { GraphQLContext } from "../context.ts";
import { socialLoaders } from "../loaders.ts";
import { NotFoundError, NotSignedInError, ValidationError } from "./errors.ts";
import { profileLoaders } from "./profile.ts";
import {
  requireViewerId,
  SelfActionError,
  throwSocialFailure,
  userIdFromGlobal,
} from "./social-errors.ts";
import { pageConnection } from "./social-pages.ts";
import { UserRef } from "./user.ts";

const UserConnectionRef = builder.connectionObject(
  { type: UserRef, name: "UserConnection" },
  { name: "UserEdge" },
);

function connectionField(direction: "followers" | "following", description: string) {
  return builder.objectField(UserRef, direction, (t) =>
    t.connection(
      {
        type: UserRef,
        description,
        resolve: (user, args, context) =>
          pageConnection(
            args,
            direction === "followers" ? "Followers" : "Following",
            (page) => listConnections(context.services.db, user.id, direction, page),
            (ids) => socialLoaders(context).users.loadMany(ids).then(usersOrNull),
          ),
      },
      UserConnectionRef,
    ),
  );
}

function usersOrNull(loaded: (User | null | Error)[]): (User | null)[] {
  return loaded.map((user) => (user instanceof Error ? null : user));
}

connectionField("followers", "The people who follow this user, most recent first.");
connectionField("following", "The people this user follows, most recent first.");

builder.objectFields(UserRef, (t) => ({
  viewerFollows: t.boolean({
    description: "True when the signed-in user follows this user; false when signed out.",
    resolve: (user, _args, context) => socialLoaders(context).viewerFollows.load(user.id),
  }),
  viewerMutes: t.boolean({
    description:
      "True when the signed-in user muted this user (their posts stay out of the viewer's feeds).",
    resolve: (user, _args, context) => socialLoaders(context).viewerMutes.load(user.id),
  }),
}));

type FollowPayload = { user: User; viewerFollows: boolean };
type MutePayload = { user: User; viewerMutes: boolean };

const FollowPayloadRef = builder.objectRef<FollowPayload>("FollowPayload").implement({
  fields: (t) => ({
    user: t.field({
      type: UserRef,
      description: "The person followed or unfollowed, with their new follower count.",
      resolve: (payload) => payload.user,
    }),
    viewerFollows: t.exposeBoolean("viewerFollows"),
  }),
});

const MutePayloadRef = builder.objectRef<MutePayload>("MutePayload").implement({
  fields: (t) => ({
    user: t.field({ type: UserRef, resolve: (payload) => payload.user }),
    viewerMutes: t.exposeBoolean("viewerMutes"),
  }),
});

/** The account behind a user id argument, or NotFoundError. */
async function targetUser(context: GraphQLContext, userId: UserId): Promise<User> {
  const user = await socialLoaders(context).users.load(userId);
  if (!user) throw new NotFoundError("That person does not exist or was removed.");
  return user;
}

/** Counts and follow state changed: later fields in this response read them afresh. */
function forgetFollow(context: GraphQLContext, viewerId: UserId, userId: UserId) {
  const profiles = profileLoaders(context);
  profiles.profiles.clear(userId).clear(viewerId);
  profiles.own.clear(viewerId);
  socialLoaders(context).viewerFollows.clear(userId);
}

const followErrors = {
  types: [NotSignedInError, ValidationError, NotFoundError, SelfActionError],
};

builder.mutationFields((t) => ({
  follow: t.field({
    type: FollowPayloadRef,
    description:
      "Follows someone: their posts join your Following feed, and they earn a small reward (once per follower). Following again changes nothing.",
    args: { userId: t.arg.id({ required: true }) },
    errors: followErrors,
    resolve: async (_root, args, context) => {
      const viewerId = requireViewerId(context);
      const userId = userIdFromGlobal(args.userId, "userId");
      const result = await follow(context.services, viewerId, userId);
      if (!result.ok) throwSocialFailure(result.error);
      forgetFollow(context, viewerId, userId);
      return { user: await targetUser(context, userId), viewerFollows: true };
    },
  }),
  unfollow: t.field({
    type: FollowPayloadRef,
    description:
      "Stops following someone; their reward for your follow is reversed while still held. Idempotent.",
    args: { userId: t.arg.id({ required: true }) },
    errors: followErrors,
    resolve: async (_root, args, context) => {
      const viewerId = requireViewerId(context);
      const userId = userIdFromGlobal(args.userId, "userId");
      const result = await unfollow(context.services, viewerId, userId);
      if (!result.ok) throwSocialFailure(result.error);
      forgetFollow(context, viewerId, userId);
      return { user: await targetUser(context, userId), viewerFollows: false };
    },
  }),
  mute: t.field({
    type: MutePayloadRef,
    description: "Keeps someone's posts out of your feeds, without them knowing. Idempotent.",
    args: { userId: t.arg.id({ required: true }) },
    errors: followErrors,
    resolve: async (_root, args, context) => {
      const viewerId = requireViewerId(context);
      const userId = userIdFromGlobal(args.userId, "userId");
      const result = await mute(context.services.db, viewerId, userId);
      if (!result.ok) throwSocialFailure(result.error);
      socialLoaders(context).viewerMutes.clear(userId).prime(userId, true);
      return { user: await targetUser(context, userId), viewerMutes: true };
    },
  }),
  unmute: t.field({
    type: MutePayloadRef,
    description: "Lets someone's posts back into your feeds. Idempotent.",
    args: { userId: t.arg.id({ required: true }) },
    errors: followErrors,
    resolve: async (_root, args, context) => {
      const viewerId = requireViewerId(context);
      const userId = userIdFromGlobal(args.userId, "userId");
      const user = await targetUser(context, userId);
      await unmute(context.services.db, viewerId, userId);
      socialLoaders(context).viewerMutes.clear(userId).prime(userId, false);
      return { user, viewerMutes: false };
    },
  }),
}));
