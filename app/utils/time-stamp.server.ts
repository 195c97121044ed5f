import { timeStamp as stampOf, type TimeStamp } from "#shared/dates.ts";

/**
 * A moment as a page shows it (ISO, "5m", "7 Dec 2026, 14:05 UTC"), worked out in the
 * loader with the request's "now" so the browser shows the server's words. The rule
 * itself (locale, zone, words) is shared/dates.ts, which components use too.
 */
export function timeStamp(date: Date, now = new Date()): TimeStamp {
  return stampOf(date, now);
}
