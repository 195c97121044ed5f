/**
 * The one way dates and times read on Tributary: British English ("7 Dec 2026", a 24-hour
 * clock) in UTC, said as "UTC". A fixed locale and zone, not the browser's, so the HTML the
 * server writes and the text React hydrates are the same characters (no hydration
 * mismatch), and everyone reading a page sees the same moment named the same way.
 * Machines get the ISO instant in `<time dateTime>`.
 *
 * Browser-safe: the server's loaders and the browser's components both import this.
 */

/** A Date, or the ISO text a loader sent it as. */
export type Instant = Date | string;

export const DATE_LOCALE = "en-GB";
export const DATE_ZONE = "UTC";

const day = new Intl.DateTimeFormat(DATE_LOCALE, { dateStyle: "medium", timeZone: DATE_ZONE });
const dayInYear = new Intl.DateTimeFormat(DATE_LOCALE, {
  day: "numeric",
  month: "short",
  timeZone: DATE_ZONE,
});
const dateTime = new Intl.DateTimeFormat(DATE_LOCALE, {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: DATE_ZONE,
});
const month = new Intl.DateTimeFormat(DATE_LOCALE, {
  month: "long",
  year: "numeric",
  timeZone: DATE_ZONE,
});

const toDate = (instant: Instant): Date =>
  typeof instant === "string" ? new Date(instant) : instant;

/** "7 Dec 2026" */
export function formatDay(instant: Instant): string {
  return day.format(toDate(instant));
}

/** "7 Dec 2026, 14:05 UTC" */
export function formatDateTime(instant: Instant): string {
  return `${dateTime.format(toDate(instant))} UTC`;
}

/** "December 2026" (when someone joined) */
export function formatMonth(instant: Instant): string {
  return month.format(toDate(instant));
}

/** The instant as ISO 8601, for `<time dateTime>`. */
export function toIsoInstant(instant: Instant): string {
  return toDate(instant).toISOString();
}

/**
 * "now", "5m", "3h", "2d", then "12 Mar" this year and "12 Mar 2024" before it: how long
 * ago, as social apps say it. Worked out where `now` is known (the loader), so the browser
 * shows the server's words.
 */
export function formatTimeAgo(instant: Instant, now: Date = new Date()): string {
  const date = toDate(instant);
  const seconds = Math.max(0, Math.floor((now.getTime() - date.getTime()) / 1000));
  if (seconds < 60) return "now";
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  if (seconds < 7 * 86_400) return `${Math.floor(seconds / 86_400)}d`;
  return date.getUTCFullYear() === now.getUTCFullYear() ? dayInYear.format(date) : day.format(date);
}

/** Everything a page needs to show a moment: ISO for machines, short and full for people. */
export type TimeStamp = { iso: string; ago: string; full: string };

export function timeStamp(instant: Instant, now: Date = new Date()): TimeStamp {
  return {
    iso: toIsoInstant(instant),
    ago: formatTimeAgo(instant, now),
    full: formatDateTime(instant),
  };
}
