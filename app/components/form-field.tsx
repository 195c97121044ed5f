import { useState } from "react";
import { getInputProps, type FieldMetadata } from "@conform-to/react";

type TextFieldProps = {
  field: FieldMetadata<string | undefined>;
  label: string;
  type: "text" | "email" | "password";
  hint?: string;
  autoComplete?: string;
};

/** A labelled input whose errors are announced and tied to it for screen readers. */
export function TextField({ field, label, type, hint, autoComplete }: TextFieldProps) {
  const hintId = hint ? `${field.id}-hint` : undefined;
  const describedBy = [hintId, field.errors?.length ? field.errorId : undefined]
    .filter(Boolean)
    .join(" ");
  const { key, ...inputProps } = getInputProps(field, { type, ariaAttributes: true });
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={field.id} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      <input
        key={key}
        {...inputProps}
        autoComplete={autoComplete}
        aria-describedby={describedBy || undefined}
        className="rounded-md border border-slate-400 bg-white px-3 py-2 text-base aria-[invalid=true]:border-red-700"
      />
      {hint ? (
        <p id={hintId} className="text-sm text-slate-600">
          {hint}
        </p>
      ) : null}
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  );
}

export function FieldErrors({ id, errors }: { id: string; errors: string[] | undefined }) {
  if (!errors?.length) return null;
  return (
    <ul id={id} className="text-sm text-red-800">
      {errors.map((error) => (
        <li key={error}>{error}</li>
      ))}
    </ul>
  );
}

export function SubmitButton({ children, isPending }: { children: string; isPending: boolean }) {
  return (
    <button
      type="submit"
      disabled={isPending}
      className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800 disabled:opacity-70"
    >
      {isPending ? "Please wait…" : children}
    </button>
  );
}

/**
 * A key that changes after each failed submission: given to a password field, it
 * remounts the input empty, so a secret is never left filled in. (Conform's
 * `form.update` would also clear the server's error messages.)
 */
export function useResetKeyAfterFailure(lastResult: { status?: string } | null | undefined) {
  // Adjusting state while rendering, as React recommends when a prop changes.
  const [seen, setSeen] = useState({ result: lastResult, key: 0 });
  if (lastResult !== seen.result) {
    const key = lastResult?.status === "error" ? seen.key + 1 : seen.key;
    setSeen({ result: lastResult, key });
    return key;
  }
  return seen.key;
}
