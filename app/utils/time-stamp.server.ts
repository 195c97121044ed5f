// A fixed zone so the server's words and the browser's hydration agree.
const dayMonth = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  timeZone: "UTC",
});
const dayMonthYear = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });
const fullDate = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});

/** "now", "5m", "3h", "2d", "12 Mar", "12 Mar 2024": how long ago, as social apps say it. */
export function timeAgo(date: Date, now = new Date()): string {
  const seconds = Math.max(0, Math.floor((now.getTime() - date.getTime()) / 1000));
  if (seconds < 60) return "now";
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  if (seconds < 7 * 86_400) return `${Math.floor(seconds / 86_400)}d`;
  return date.getUTCFullYear() === now.getUTCFullYear()
    ? dayMonth.format(date)
    : dayMonthYear.format(date);
}

export function timeStamp(date: Date, now = new Date()) {
  return { iso: date.toISOString(), ago: timeAgo(date, now), full: `${fullDate.format(date)} UTC` };
}
