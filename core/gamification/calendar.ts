/** UTC calendar helpers: days as "YYYY-MM-DD", weeks from Monday (ISO), months as "YYYY-MM". */

export const DAY_MS = 86_400_000;

export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function dayStart(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

export function addDays(day: string, days: number): string {
  return utcDay(new Date(dayStart(day).getTime() + days * DAY_MS));
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((dayStart(to).getTime() - dayStart(from).getTime()) / DAY_MS);
}

/** The Monday (UTC) of the ISO week a day falls in. */
export function weekStartOf(day: string): string {
  const sinceMonday = (dayStart(day).getUTCDay() + 6) % 7;
  return addDays(day, -sinceMonday);
}

export function monthOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}

export function monthBounds(date: Date): { startsAt: Date; endsAt: Date } {
  const startsAt = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
  const endsAt = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
  return { startsAt, endsAt };
}
