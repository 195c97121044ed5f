import {
  uploadSizeProblem,
  type AvatarImageFailure,
  type AvatarImageProblem,
} from "#core/profiles/avatar-image.ts";
import { removeAvatar, setAvatar } from "#core/profiles/profile.service.ts";
import type { User } from "#core/auth/user.ts";
import { builder } from "../builder.ts";
import { ErrorInterface, NotSignedInError } from "./errors.ts";
import { remember, viewerAs } from "./profile.ts";
import { UserRef } from "./user.ts";

// The viewer's picture: an uploaded image (a multipart request, see the File scalar) or,
// once removed, the identicon.

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
