// Control characters other than tab and newline: no text a person writes needs one, and
// Postgres refuses a NUL in text with an error (a 500 if it got that far).
// eslint-disable-next-line no-control-regex -- matching them is the point
const controlCharacters = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** `text` without control characters other than tab and newline. */
export function withoutControlCharacters(text: string): string {
  return text.replace(controlCharacters, "");
}
