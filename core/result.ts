/** Expected failures are values: callers must look at `ok` before they can use the value. */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const err = <E>(error: E): { ok: false; error: E } => ({ ok: false, error });

/** Messages per input field, in words a user can act on; `""` holds form-wide messages. */
export type FieldErrors = Record<string, string[]>;

export type ValidationFailure = { kind: "validation"; message: string; fieldErrors: FieldErrors };

export function validationFailure(fieldErrors: FieldErrors): ValidationFailure {
  const first = Object.values(fieldErrors).flat()[0];
  return { kind: "validation", message: first ?? "The input is not valid.", fieldErrors };
}

/** Turns zod issues into field errors keyed by the top-level field name. */
export function fieldErrorsFromIssues(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : "";
    (errors[key] ??= []).push(issue.message);
  }
  return errors;
}
