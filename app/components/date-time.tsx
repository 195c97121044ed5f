import { formatDateTime, formatDay, formatMonth, type Instant } from "#shared/dates.ts";

const formats = { day: formatDay, dateTime: formatDateTime, month: formatMonth } as const;

/**
 * A moment in the site's one date rule (shared/dates.ts): "7 Dec 2026", "7 Dec 2026,
 * 14:05 UTC" or "December 2026", in a `<time>` whose dateTime is the ISO instant and
 * whose title is the full date and time.
 */
export function DateTime({
  value,
  format = "dateTime",
  className,
}: {
  value: Instant;
  format?: keyof typeof formats;
  className?: string;
}) {
  const instant = typeof value === "string" ? new Date(value) : value;
  return (
    <time dateTime={instant.toISOString()} title={formatDateTime(instant)} className={className}>
      {formats[format](instant)}
    </time>
  );
}
