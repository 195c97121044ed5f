import { Form, useNavigation } from "@remix-run/react";
import { useId, useState, useSyncExternalStore } from "react";
import { FieldErrors } from "#app/components/form-field.tsx";
import { Avatar } from "./avatar.tsx";
import type { PersonSummary } from "./types.ts";

/** Characters as people (and the server) count them: by code point. */
export function countCharacters(text: string): number {
  let n = 0;
  for (const _ of text.replace(/\r\n?/g, "\n").trim()) n++;
  return n;
}

/** True once React runs in the browser (the server's HTML says nothing JavaScript-only). */
export function useIsHydrated() {
  return useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
}
const subscribeToNothing = () => () => {};

/**
 * A text box with a live character counter and the server's field errors. It is a plain
 * form: it posts without JavaScript, and the server's limit is the one that counts.
 */
export function TextComposer({
  action,
  intent,
  label,
  placeholder,
  submitLabel,
  maxLength,
  errors,
  defaultValue = "",
  author,
  hiddenFields = {},
  rows = 3,
  isLabelVisible = false,
}: {
  action?: string;
  intent: string;
  label: string;
  placeholder?: string;
  submitLabel: string;
  maxLength: number;
  errors?: string[];
  defaultValue?: string;
  author?: PersonSummary;
  hiddenFields?: Record<string, string>;
  rows?: number;
  isLabelVisible?: boolean;
}) {
  const id = useId();
  const navigation = useNavigation();
  const isHydrated = useIsHydrated();
  const [text, setText] = useState(defaultValue);
  const count = countCharacters(text);
  const isOver = count > maxLength;
  const isSubmitting =
    navigation.state !== "idle" &&
    navigation.formData?.get("intent") === intent &&
    Object.entries(hiddenFields).every(([name, value]) => navigation.formData?.get(name) === value);
  // After a submission that went through (no errors came back), the box starts empty.
  const [wasSubmitting, setWasSubmitting] = useState(false);
  const hasErrors = Boolean(errors?.length);
  if (isSubmitting && !wasSubmitting) setWasSubmitting(true);
  if (!isSubmitting && wasSubmitting && navigation.state === "idle") {
    setWasSubmitting(false);
    if (!hasErrors) setText("");
  }
  const counterId = `${id}-count`;
  const errorId = `${id}-error`;
  const describedBy = [counterId, errors?.length ? errorId : null].filter(Boolean).join(" ");
  return (
    <Form method="post" action={action} className="flex gap-3" preventScrollReset>
      {author ? <Avatar person={author} /> : null}
      <div className="flex min-w-0 flex-1 flex-col gap-2">
        <input type="hidden" name="intent" value={intent} />
        {Object.entries(hiddenFields).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <label
          htmlFor={id}
          className={isLabelVisible ? "text-sm font-medium text-slate-800" : "sr-only"}
        >
          {label}
        </label>
        <textarea
          id={id}
          name="body"
          rows={rows}
          value={text}
          onChange={(event) => setText(event.target.value)}
          placeholder={placeholder}
          aria-invalid={errors?.length || isOver ? true : undefined}
          aria-describedby={describedBy}
          className="w-full resize-y rounded-xl border border-slate-300 bg-white px-3 py-2 text-base leading-relaxed placeholder:text-slate-500 aria-[invalid=true]:border-red-700"
        />
        {errors?.length ? <FieldErrors id={errorId} errors={errors} /> : null}
        <div className="flex items-center justify-end gap-3">
          <p
            id={counterId}
            className={`text-sm tabular-nums ${isOver ? "font-semibold text-red-800" : "text-slate-600"}`}
          >
            {isHydrated ? (
              <>
                {count} / {maxLength}
                <span className="sr-only"> characters</span>
                {isOver ? ` · ${count - maxLength} too many` : null}
              </>
            ) : (
              `Up to ${maxLength} characters`
            )}
          </p>
          <button
            type="submit"
            disabled={isSubmitting || (isHydrated && (isOver || count === 0))}
            className="rounded-full bg-brand-700 px-5 py-2 text-sm font-semibold text-white hover:bg-brand-800 disabled:cursor-not-allowed disabled:opacity-60"
          >
            {isSubmitting ? "Posting…" : submitLabel}
          </button>
        </div>
      </div>
    </Form>
  );
}
