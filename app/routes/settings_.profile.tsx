import {
  getFormProps,
  getInputProps,
  getTextareaProps,
  useForm,
  type FieldMetadata,
  type SubmissionResult,
} from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import {
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  type UploadHandler,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useState, type ChangeEvent } from "react";
import { FieldErrors, SubmitButton, TextField } from "#app/components/form-field.tsx";
import { requireViewer } from "#app/utils/viewer.server.ts";
import { AVATAR_UPLOAD_MAX_BYTES } from "#core/profiles/avatar-image.ts";
import {
  BIO_MAX_LENGTH,
  profileFormInput,
  type ProfileFormInput,
} from "#core/profiles/profile-input.ts";
import {
  getOwnProfile,
  removeAvatar,
  setAvatar,
  updateProfile,
} from "#core/profiles/profile.service.ts";

export const meta: MetaFunction = () => [{ title: "Profile settings · Tributary" }];

const acceptedTypes = "image/png,image/jpeg,image/webp,image/gif";
/** Text parts of the avatar form are tiny; anything longer is cut here and refused later. */
const MAX_TEXT_PART_BYTES = 16 * 1024;

export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireViewer(context, request);
  const profile = await getOwnProfile(context.services.db, viewer.user.id);
  return {
    profile: {
      handle: profile.handle,
      displayName: profile.displayName,
      bio: profile.bio,
      showsEarnings: profile.showsEarnings,
      avatarUrl: profile.avatarUrl,
      hasUploadedAvatar: profile.hasUploadedAvatar,
    },
    // Limits come from core through the loader: core's modules never reach the browser.
    limits: { avatarMegabytes: AVATAR_UPLOAD_MAX_BYTES / (1024 * 1024), bioLength: BIO_MAX_LENGTH },
  };
}

/**
 * Reads at most `limit + 1` bytes of a part and drains the rest, so the browser finishes
 * sending before it gets the answer, and an oversize file is still known to be oversize.
 */
async function readAtMost(
  data: AsyncIterable<Uint8Array>,
  limit: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of data) {
    const room = limit + 1 - size;
    if (room <= 0) continue;
    const kept = chunk.byteLength > room ? chunk.subarray(0, room) : chunk;
    chunks.push(kept);
    size += kept.byteLength;
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

const uploadHandler: UploadHandler = async ({ name, filename, contentType, data }) => {
  if (filename === undefined) {
    return new TextDecoder().decode(await readAtMost(data, MAX_TEXT_PART_BYTES));
  }
  if (name !== "avatar") {
    await readAtMost(data, 0);
    return undefined;
  }
  const bytes = await readAtMost(data, AVATAR_UPLOAD_MAX_BYTES);
  return new File([bytes], filename, { type: contentType });
};

type ActionData =
  | { intent: "profile"; result: SubmissionResult<string[]>; saved: boolean }
  | { intent: "avatar"; avatarError: string | null; status: string | null; savedAt: number };

async function avatarAction(
  request: Request,
  context: ActionFunctionArgs["context"],
): Promise<ActionData> {
  const viewer = requireViewer(context, request);
  const { db } = context.services;
  let formData: FormData;
  try {
    formData = await unstable_parseMultipartFormData(request, uploadHandler);
  } catch {
    return avatarFailure("The upload did not arrive whole. Try again.");
  }
  const file = formData.get("avatar");
  if (!(file instanceof File) || (file.size === 0 && file.name === "")) {
    return avatarFailure("Choose an image to upload.");
  }
  const result = await setAvatar(db, viewer.user.id, {
    bytes: new Uint8Array(await file.arrayBuffer()),
    contentType: file.type,
  });
  if (!result.ok) return avatarFailure(result.error.message);
  return {
    intent: "avatar",
    avatarError: null,
    status: "Your new avatar is saved.",
    savedAt: Date.now(),
  };
}

function avatarFailure(message: string): ActionData {
  return { intent: "avatar", avatarError: message, status: null, savedAt: 0 };
}

export async function action({ context, request }: ActionFunctionArgs): Promise<ActionData> {
  const viewer = requireViewer(context, request);
  const { db } = context.services;
  const contentType = request.headers.get("content-type") ?? "";
  if (contentType.startsWith("multipart/form-data")) return avatarAction(request, context);

  const formData = await request.formData();
  if (formData.get("intent") === "remove-avatar") {
    const { wasRemoved } = await removeAvatar(db, viewer.user.id);
    return {
      intent: "avatar",
      avatarError: null,
      status: wasRemoved ? "Your avatar is removed; your pattern shows instead." : null,
      savedAt: Date.now(),
    };
  }
  const submission = parseWithZod(formData, { schema: profileFormInput });
  if (submission.status !== "success") {
    return { intent: "profile", result: submission.reply(), saved: false };
  }
  const result = await updateProfile(db, viewer.user.id, submission.value);
  if (!result.ok) {
    return {
      intent: "profile",
      result: submission.reply({ fieldErrors: result.error.fieldErrors }),
      saved: false,
    };
  }
  return { intent: "profile", result: submission.reply(), saved: true };
}

export default function ProfileSettingsPage() {
  const { profile, limits } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="flex flex-col gap-8">
      <div>
        <p className="text-sm">
          <Link to="/settings" className="text-brand-800 underline hover:text-brand-700">
            Settings
          </Link>{" "}
          <span aria-hidden="true">›</span> Profile
        </p>
        <h1 className="mt-1 text-2xl font-semibold">Profile</h1>
        <p className="mt-1 text-slate-700">
          What everyone sees at @{profile.handle}: your name, a few words about you and your
          picture.
        </p>
      </div>
      <AvatarSection
        // After a saved upload or removal, start afresh: no local preview, no chosen file.
        key={actionData?.intent === "avatar" ? actionData.savedAt : 0}
        avatarUrl={profile.avatarUrl}
        hasUploadedAvatar={profile.hasUploadedAvatar}
        maxMegabytes={limits.avatarMegabytes}
        actionData={actionData?.intent === "avatar" ? actionData : null}
      />
      <ProfileDetailsSection
        profile={profile}
        bioMaxLength={limits.bioLength}
        actionData={actionData?.intent === "profile" ? actionData : null}
      />
    </div>
  );
}

function AvatarSection({
  avatarUrl,
  hasUploadedAvatar,
  maxMegabytes,
  actionData,
}: {
  avatarUrl: string;
  hasUploadedAvatar: boolean;
  maxMegabytes: number;
  actionData: Extract<ActionData, { intent: "avatar" }> | null;
}) {
  const navigation = useNavigation();
  const [preview, setPreview] = useState<string | null>(null);
  const isUploading =
    navigation.state === "submitting" && navigation.formEncType === "multipart/form-data";
  const isRemoving =
    navigation.state === "submitting" && navigation.formData?.get("intent") === "remove-avatar";
  useEffect(() => () => (preview ? URL.revokeObjectURL(preview) : undefined), [preview]);

  const [sizeError, setSizeError] = useState<string | null>(null);

  /** With JavaScript: a preview of the chosen file, and an oversize file stopped before upload. */
  function showPreview(event: ChangeEvent<HTMLInputElement>) {
    const input = event.currentTarget;
    const file = input.files?.[0];
    const tooLarge = file !== undefined && file.size > maxMegabytes * 1024 * 1024;
    const message = tooLarge
      ? `The image is larger than ${maxMegabytes} MB. Choose a smaller one.`
      : null;
    input.setCustomValidity(message ?? "");
    setSizeError(message);
    setPreview(
      file && !tooLarge && file.type.startsWith("image/") ? URL.createObjectURL(file) : null,
    );
  }

  const error = sizeError ?? actionData?.avatarError ?? null;
  return (
    <section
      aria-labelledby="avatar-heading"
      className="max-w-xl rounded-lg border border-slate-200 bg-white p-6"
    >
      <h2 id="avatar-heading" className="text-lg font-semibold">
        Avatar
      </h2>
      <div className="mt-4 flex flex-col gap-6 sm:flex-row sm:items-start">
        <figure className="flex shrink-0 flex-col items-center gap-2">
          <img
            src={preview ?? avatarUrl}
            alt={preview ? "Preview of the chosen image" : "Your current avatar"}
            width={128}
            height={128}
            data-testid="avatar-image"
            className="size-32 rounded-full border border-slate-200 bg-slate-100 object-cover"
          />
          <figcaption className="text-sm text-slate-600">
            {preview ? "Preview (not saved yet)" : hasUploadedAvatar ? "Current" : "Your pattern"}
          </figcaption>
        </figure>
        <div className="flex min-w-0 flex-1 flex-col gap-4">
          <Form method="post" encType="multipart/form-data" className="flex flex-col gap-3">
            <div className="flex flex-col gap-1">
              <label htmlFor="avatar" className="text-sm font-medium text-slate-800">
                Upload a picture
              </label>
              <input
                id="avatar"
                name="avatar"
                type="file"
                accept={acceptedTypes}
                required
                onChange={showPreview}
                aria-invalid={error ? true : undefined}
                aria-describedby={`avatar-hint${error ? " avatar-error" : ""}`}
                className="w-full max-w-full text-sm text-slate-800 file:mr-3 file:rounded-md file:border file:border-slate-400 file:bg-white file:px-3 file:py-2 file:font-medium file:text-slate-800 hover:file:bg-slate-50"
              />
              <p id="avatar-hint" className="text-sm text-slate-600">
                PNG, JPEG, WebP or GIF, up to {maxMegabytes} MB. It is cropped to a square.
              </p>
              <FieldErrors id="avatar-error" errors={error ? [error] : undefined} />
            </div>
            <div>
              <SubmitButton isPending={isUploading}>Upload avatar</SubmitButton>
            </div>
          </Form>
          {hasUploadedAvatar ? (
            <Form method="post">
              <button
                type="submit"
                name="intent"
                value="remove-avatar"
                disabled={isRemoving}
                className="rounded-md border border-slate-400 px-4 py-2 font-semibold text-slate-800 hover:bg-slate-50 disabled:opacity-70"
              >
                {isRemoving ? "Please wait…" : "Remove avatar"}
              </button>
            </Form>
          ) : (
            <p className="text-sm text-slate-600">
              Until you upload one, your avatar is a pattern made from your account.
            </p>
          )}
          <p role="status" className="text-sm text-brand-800">
            {actionData?.status ?? ""}
          </p>
        </div>
      </div>
    </section>
  );
}

function ProfileDetailsSection({
  profile,
  bioMaxLength,
  actionData,
}: {
  profile: { displayName: string; bio: string; showsEarnings: boolean };
  bioMaxLength: number;
  actionData: Extract<ActionData, { intent: "profile" }> | null;
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm<ProfileFormInput>({
    id: "profile-details",
    lastResult: actionData?.result,
    defaultValue: {
      displayName: profile.displayName,
      bio: profile.bio,
      showsEarnings: profile.showsEarnings,
    },
  });
  const isSaving =
    navigation.state === "submitting" && navigation.formData?.get("intent") === "update-profile";
  return (
    <section
      aria-labelledby="details-heading"
      className="max-w-xl rounded-lg border border-slate-200 bg-white p-6"
    >
      <h2 id="details-heading" className="text-lg font-semibold">
        Name and bio
      </h2>
      <Form method="post" {...getFormProps(form)} className="mt-4 flex flex-col gap-4">
        <input type="hidden" name="intent" value="update-profile" />
        <TextField field={fields.displayName} label="Display name" type="text" />
        <BioField field={fields.bio} maxLength={bioMaxLength} />
        <EarningsField field={fields.showsEarnings} />
        <FieldErrors id={form.errorId} errors={form.errors} />
        <div>
          <SubmitButton isPending={isSaving}>Save profile</SubmitButton>
        </div>
        <p role="status" className="text-sm text-brand-800">
          {actionData?.saved ? "Saved." : ""}
        </p>
      </Form>
    </section>
  );
}

function BioField({
  field,
  maxLength,
}: {
  field: FieldMetadata<string | undefined>;
  maxLength: number;
}) {
  const hintId = `${field.id}-hint`;
  const describedBy = [hintId, field.errors?.length ? field.errorId : undefined]
    .filter(Boolean)
    .join(" ");
  const { key, ...textareaProps } = getTextareaProps(field, { ariaAttributes: true });
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={field.id} className="text-sm font-medium text-slate-800">
        Bio
      </label>
      <textarea
        key={key}
        {...textareaProps}
        rows={4}
        aria-describedby={describedBy}
        className="rounded-md border border-slate-400 bg-white px-3 py-2 text-base aria-[invalid=true]:border-red-700"
      />
      <p id={hintId} className="text-sm text-slate-600">
        Optional, up to {maxLength} characters.
      </p>
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  );
}

function EarningsField({ field }: { field: FieldMetadata<boolean | undefined> }) {
  const hintId = `${field.id}-hint`;
  const { key, ...inputProps } = getInputProps(field, { type: "checkbox", ariaAttributes: true });
  return (
    <div className="flex flex-col gap-1">
      <div className="flex items-start gap-2">
        <input
          key={key}
          {...inputProps}
          aria-describedby={[hintId, field.errors?.length ? field.errorId : undefined]
            .filter(Boolean)
            .join(" ")}
          className="mt-1 size-4 accent-brand-700"
        />
        <label htmlFor={field.id} className="text-sm font-medium text-slate-800">
          Show my earnings on my profile
        </label>
      </div>
      <p id={hintId} className="pl-6 text-sm text-slate-600">
        Everyone then sees how much MICRO you have earned in total and from how many rewards.
      </p>
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  );
}
