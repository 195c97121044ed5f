import { Form, useNavigation } from "@remix-run/react";
import { useEffect, useState, type ChangeEvent } from "react";
import { FieldErrors, SubmitButton } from "#app/components/form-field.tsx";

/** What the profile page's action answers to an avatar upload or removal. */
export type AvatarActionData = {
  intent: "avatar";
  avatarError: string | null;
  status: string | null;
  /** When it was saved; 0 when nothing was. The page starts the section afresh on a change. */
  savedAt: number;
};

const acceptedTypes = "image/png,image/jpeg,image/webp,image/gif";

/** The avatar: current picture or a preview, an upload form and, once uploaded, a remove button. */
export function AvatarSection({
  avatarUrl,
  hasUploadedAvatar,
  maxMegabytes,
  actionData,
}: {
  avatarUrl: string;
  hasUploadedAvatar: boolean;
  maxMegabytes: number;
  actionData: AvatarActionData | null;
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
