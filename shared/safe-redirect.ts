// Where a sign-in or a form may send the browser next. A redirect target comes from the
// request (a `redirectTo` query or field, the Referer), so it is checked the way the browser
// will read it, not the way it looks: the WHATWG URL parser drops tabs and newlines anywhere,
// strips leading and trailing controls and spaces, and reads `\` as `/`, so `/\t/evil.example`
// and `/\evil.example` both mean `//evil.example`, another host.

/** Longer redirect targets are refused: no page of ours needs one, and they only bloat headers. */
export const REDIRECT_PATH_MAX_LENGTH = 2048;

// Any origin serves: only whether the value leaves it matters, and the answer is a path.
const PLACEHOLDER_ORIGIN = "http://redirect-check.invalid";

/**
 * A path on this site for `value` (pathname, query and fragment, percent-encoded as a
 * browser would send them, so always a valid Location header), or "/" when a browser would
 * read `value` as another site, a script, or nothing.
 */
export function safeRedirectPath(value: FormDataEntryValue | string | null | undefined): string {
  if (typeof value !== "string" || value.length > REDIRECT_PATH_MAX_LENGTH) return "/";
  let resolved: URL;
  try {
    resolved = new URL(value, `${PLACEHOLDER_ORIGIN}/`);
  } catch {
    return "/";
  }
  if (resolved.origin !== PLACEHOLDER_ORIGIN) return "/";
  const path = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  // Dot segments can leave an empty first segment (`/..//evil.example` → `//evil.example`),
  // which as a Location is a host again.
  if (path.startsWith("//") || path.length > REDIRECT_PATH_MAX_LENGTH) return "/";
  return path;
}
