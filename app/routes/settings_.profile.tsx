import {
  getFormProps,
  getInputProps,
  getTextareaProps,
  useForm,
  type FieldMetadata,
  type SubmissionResult,
} from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FieldErrors, SubmitButton, TextField } from "#app/components/form-field.tsx";
import { AvatarSection, type AvatarActionData } from "#app/components/profile/avatar-section.tsx";
import { readAvatarUpload } from "#app/utils/avatar-upload.server.ts";
import { requireViewer } from "#app/utils/viewer.server.ts";
import { AVATAR_UPLOAD_MAX_BYTES } from "#core/profiles/avatar-image.ts";
import { profileFormInput, type ProfileFormInput } from "#core/profiles/profile-input.ts";
import { BIO_MAX_LENGTH } from "#shared/text-limits.ts";
import {
  getOwnProfile,
  removeAvatar,
  setAvatar,
  updateProfile,
} from "#core/profiles/profile.service.ts";

export const meta: MetaFunction = () => [{ title: "Profile settings · Tributary" }];

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

type ActionData =
  { intent: "profile"; result: SubmissionResult<string[]>; saved: boolean } | AvatarActionData;

async function avatarAction(
  request: Request,
  context: ActionFunctionArgs["context"],
): Promise<ActionData> {
  const viewer = requireViewer(context, request);
  const upload = await readAvatarUpload(request);
  if (!upload.ok) return avatarFailure(upload.error.message);
  const result = await setAvatar(context.services.db, viewer.user.id, upload.value);
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
