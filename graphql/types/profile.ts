import DataLoader from "dataloader";
import { GraphQLError } from "graphql";
import { getUsersByIds } from "#core/auth/user.service.ts";
import type { User } from "#core/auth/user.ts";
import {
  uploadSizeProblem,
  type AvatarImageFailure,
  type AvatarImageProblem,
} from "#core/profiles/avatar-image.ts";
import {
  getEarningStatsByIds,
  getOwnProfile,
  getProfileByHandle,
  getProfilesByIds,
  removeAvatar,
  setAvatar,
  updateProfile,
} from "#core/profiles/profile.service.ts";
import { identiconUrl, type EarningStats, type Profile } from "#core/profiles/profile.ts";
import type { UserId } from "#core/auth/ids.ts";
import { builder } from "../builder.ts";
import type { GraphQLContext } from "../context.ts";
import { ErrorInterface, NotSignedInError, ValidationError } from "./errors.ts";
import { UserRef } from "./user.ts";

// Public profiles: the profile fields of User, `profile(handle)`, and the viewer's own
// profile and avatar mutations. Profile fields of any number of users cost one query
// per kind of data per request (dataloaders), however long the list.

/** A file sent with the GraphQL multipart request spec (what graphql-yoga hands a resolver). */
type UploadedFile = { type: string; size: number; arrayBuffer: () => Promise<ArrayBuffer> };

function isUploadedFile(value: unknown): value is UploadedFile {
  if (typeof value !== "object" || value === null) return false;
  const file = value as Partial<UploadedFile>;
  return (
    typeof file.type === "string" &&
    typeof file.size === "number" &&
    typeof file.arrayBuffer === "function"
  );
}

builder.scalarType("File", {
  description:
    "A file sent with the GraphQL multipart request spec " +
    "(https://github.com/jaydenseric/graphql-multipart-request-spec). Input only.",
  serialize: () => {
    throw new Error("File is an input type only");
  },
  parseValue: (value) => {
    if (!isUploadedFile(value)) {
      throw new GraphQLError(
        "Send the file as a part of a multipart/form-data request (GraphQL multipart request spec).",
        { extensions: { code: "BAD_USER_INPUT" } },
      );
    }
    return value as unknown as File;
  },
});

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
function remember(context: GraphQLContext, profile: Profile): void {
  const loaders = profileLoaders(context);
  loaders.own.clear(profile.id).prime(profile.id, profile);
  loaders.profiles.clear(profile.id);
  loaders.earningStats.clear(profile.id);
}

function viewerAs(context: GraphQLContext, profile: Profile): User {
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

export class InvalidImageError extends Error {
  constructor(
    message: string,
    readonly code: AvatarImageProblem,
  ) {
    super(message);
  }
}

const ImageProblemEnum = builder.enumType("ImageProblem", {
  description: "Why an uploaded image was refused.",
  values: {
    EMPTY: { value: "empty", description: "The file is empty (or no file was chosen)." },
    TOO_LARGE: { value: "too_large", description: "The file is larger than 5 MB." },
    UNSUPPORTED_TYPE: {
      value: "unsupported_type",
      description: "The declared type is not PNG, JPEG, WebP or GIF (SVG is never accepted).",
    },
    TYPE_MISMATCH: {
      value: "type_mismatch",
      description: "The contents are another of the accepted formats than the declared type.",
    },
    NOT_AN_IMAGE: {
      value: "not_an_image",
      description: "The contents are not a PNG, JPEG, WebP or GIF image.",
    },
    TOO_MANY_PIXELS: {
      value: "too_many_pixels",
      description: "The image claims more than 50 megapixels.",
    },
    UNDECODABLE: { value: "undecodable", description: "The image is damaged." },
  } as const satisfies Record<string, { value: AvatarImageProblem; description: string }>,
});

builder.objectType(InvalidImageError, {
  name: "InvalidImageError",
  description: "The uploaded file was refused; `code` says why. Nothing was changed.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ code: t.expose("code", { type: ImageProblemEnum }) }),
});

function toInvalidImageError(failure: AvatarImageFailure): InvalidImageError {
  return new InvalidImageError(failure.message, failure.code);
}

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

const UploadAvatarPayloadRef = builder
  .objectRef<{ user: User }>("UploadAvatarPayload")
  .implement({ fields: (t) => ({ user: t.field({ type: UserRef, resolve: (p) => p.user }) }) });

const RemoveAvatarPayloadRef = builder
  .objectRef<{ user: User; wasRemoved: boolean }>("RemoveAvatarPayload")
  .implement({
    fields: (t) => ({
      user: t.field({ type: UserRef, resolve: (p) => p.user }),
      wasRemoved: t.exposeBoolean("wasRemoved", {
        description: "False when there was no uploaded avatar to remove.",
      }),
    }),
  });

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
  uploadAvatar: t.field({
    type: UploadAvatarPayloadRef,
    description:
      "Sets the signed-in user's avatar from an image (PNG, JPEG, WebP or GIF, at most 5 MB), " +
      "sent as a multipart request. It is re-encoded as a 256×256 WebP without metadata.",
    args: { file: t.arg({ type: "File", required: true }) },
    errors: { types: [InvalidImageError, NotSignedInError] },
    resolve: async (_root, { file }, context) => {
      if (!context.viewer) throw new NotSignedInError();
      // The size is known before the bytes are read: an oversize file is not copied again.
      const sizeProblem = uploadSizeProblem(file.size);
      if (sizeProblem) throw toInvalidImageError(sizeProblem);
      const result = await setAvatar(context.services.db, context.viewer.user.id, {
        bytes: new Uint8Array(await file.arrayBuffer()),
        contentType: file.type,
      });
      if (!result.ok) throw toInvalidImageError(result.error);
      remember(context, result.value);
      return { user: viewerAs(context, result.value) };
    },
  }),
  removeAvatar: t.field({
    type: RemoveAvatarPayloadRef,
    description: "Goes back to the generated identicon; the uploaded image is deleted.",
    errors: { types: [NotSignedInError] },
    resolve: async (_root, _args, context) => {
      if (!context.viewer) throw new NotSignedInError();
      const { profile, wasRemoved } = await removeAvatar(
        context.services.db,
        context.viewer.user.id,
      );
      remember(context, profile);
      return { user: viewerAs(context, profile), wasRemoved };
    },
  }),
}));
