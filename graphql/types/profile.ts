import DataLoader from "dataloader";
import { getUsersByIds } from "#core/auth/user.service.ts";
import type { User } from "#core/auth/user.ts";
import {
  getEarningStatsByIds,
  getOwnProfile,
  getProfileByHandle,
  getProfilesByIds,
  updateProfile,
} from "#core/profiles/profile.service.ts";
import { identiconUrl, type EarningStats, type Profile } from "#core/profiles/profile.ts";
import type { UserId } from "#core/auth/ids.ts";
import { builder } from "../builder.ts";
import type { GraphQLContext } from "../context.ts";
import { NotSignedInError, ValidationError } from "./errors.ts";
import { UserRef } from "./user.ts";

// Public profiles: the profile fields of User, `profile(handle)`, and the viewer's own
// profile (its avatar mutations are in avatar.ts). Profile fields of any number of users cost one query
// per kind of data per request (dataloaders), however long the list.

type ProfileLoaders = {
  /** Public profiles: null for missing and hidden users. */
  profiles: DataLoader<string, Profile | null>;
  /** The viewer's own profile, which they see even while hidden. */
  own: DataLoader<string, Profile>;
  earningStats: DataLoader<string, EarningStats | null>;
};

const loadersByRequest = new WeakMap<GraphQLContext, ProfileLoaders>();

/** This request's profile loaders (created on first use, gone with the request). */
export function profileLoaders(context: GraphQLContext): ProfileLoaders {
  let loaders = loadersByRequest.get(context);
  if (!loaders) {
    const { db } = context.services;
    loaders = {
      profiles: new DataLoader((ids) => getProfilesByIds(db, ids), { maxBatchSize: 500 }),
      own: new DataLoader((ids) => Promise.all(ids.map((id) => getOwnProfile(db, id as UserId)))),
      earningStats: new DataLoader((ids) => getEarningStatsByIds(db, ids), { maxBatchSize: 500 }),
    };
    loadersByRequest.set(context, loaders);
  }
  return loaders;
}

/** The profile to show for `user`: their own to the viewer, else the public one (null if hidden). */
function loadProfile(user: User, context: GraphQLContext): Promise<Profile | null> {
  const loaders = profileLoaders(context);
  return context.viewer?.user.id === user.id
    ? loaders.own.load(user.id)
    : loaders.profiles.load(user.id);
}

/** After a mutation, later fields in the same response read the changed profile. */
export function remember(context: GraphQLContext, profile: Profile): void {
  const loaders = profileLoaders(context);
  loaders.own.clear(profile.id).prime(profile.id, profile);
  loaders.profiles.clear(profile.id);
  loaders.earningStats.clear(profile.id);
}

export function viewerAs(context: GraphQLContext, profile: Profile): User {
  if (!context.viewer) throw new Error("viewerAs needs a signed-in viewer");
  return { ...context.viewer.user, displayName: profile.displayName };
}

const EarningStatsRef = builder.objectRef<EarningStats>("EarningStats").implement({
  description: "What a user has earned on Tributary, shown only when they choose to show it.",
  fields: (t) => ({
    totalEarned: t.expose("totalEarned", {
      type: "TokenAmount",
      description: "Rewards granted and not reversed (those still on hold included).",
    }),
    rewardCount: t.exposeInt("rewardCount", { description: "How many rewards that is." }),
  }),
});

builder.objectFields(UserRef, (t) => ({
  bio: t.string({
    description: "A few words the user wrote about themself; empty while hidden by moderation.",
    resolve: async (user, _args, context) => (await loadProfile(user, context))?.bio ?? "",
  }),
  avatarUrl: t.string({
    description:
      "The user's picture: an uploaded image (/media/<id>.webp, 256×256) or, without one, an " +
      "identicon generated from the account (/avatars/<id>.svg). A path on this site.",
    resolve: async (user, _args, context) =>
      (await loadProfile(user, context))?.avatarUrl ?? identiconUrl(user.id),
  }),
  followerCount: t.int({
    resolve: async (user, _args, context) => (await loadProfile(user, context))?.followerCount ?? 0,
  }),
  followingCount: t.int({
    resolve: async (user, _args, context) =>
      (await loadProfile(user, context))?.followingCount ?? 0,
  }),
  postCount: t.int({
    resolve: async (user, _args, context) => (await loadProfile(user, context))?.postCount ?? 0,
  }),
  showsEarnings: t.boolean({
    description: "Whether the user chose to show their earning stats on their profile.",
    resolve: async (user, _args, context) =>
      (await loadProfile(user, context))?.showsEarnings ?? false,
  }),
  earningStats: t.field({
    type: EarningStatsRef,
    nullable: true,
    description: "The user's earnings; null unless they chose to show them (showsEarnings).",
    resolve: (user, _args, context) => profileLoaders(context).earningStats.load(user.id),
  }),
}));

builder.queryFields((t) => ({
  profile: t.field({
    type: UserRef,
    nullable: true,
    description: "The public profile at a handle (with or without @); null when none is shown.",
    args: { handle: t.arg.string({ required: true }) },
    resolve: async (_root, { handle }, context) => {
      const { db } = context.services;
      const profile = await getProfileByHandle(db, handle);
      if (!profile) return null;
      profileLoaders(context).profiles.prime(profile.id, profile);
      const [user] = await getUsersByIds(db, [profile.id]);
      return user ?? null;
    },
  }),
}));

const UpdateProfileInputRef = builder.inputType("UpdateProfileInput", {
  description: "Fields left out (or null) stay as they are.",
  fields: (t) => ({
    displayName: t.string({ required: false, description: "1–50 characters." }),
    bio: t.string({ required: false, description: "Up to 280 characters; empty clears it." }),
    showsEarnings: t.boolean({
      required: false,
      description: "Show your earning stats on your profile.",
    }),
  }),
});

const UpdateProfilePayloadRef = builder
  .objectRef<{ user: User }>("UpdateProfilePayload")
  .implement({ fields: (t) => ({ user: t.field({ type: UserRef, resolve: (p) => p.user }) }) });

builder.mutationFields((t) => ({
  updateProfile: t.field({
    type: UpdateProfilePayloadRef,
    description: "Changes the signed-in user's display name, bio or whether earnings show.",
    args: { input: t.arg({ type: UpdateProfileInputRef, required: true }) },
    errors: { types: [ValidationError, NotSignedInError] },
    resolve: async (_root, { input }, context) => {
      if (!context.viewer) throw new NotSignedInError();
      const result = await updateProfile(context.services.db, context.viewer.user.id, {
        displayName: input.displayName ?? undefined,
        bio: input.bio ?? undefined,
        showsEarnings: input.showsEarnings ?? undefined,
      });
      if (!result.ok) throw new ValidationError(result.error.message, result.error.fieldErrors);
      remember(context, result.value);
      return { user: viewerAs(context, result.value) };
    },
  }),
}));
