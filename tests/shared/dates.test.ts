import { describe, expect, it } from "vitest";
import { formatDateTime, formatDay, formatMonth, formatTimeAgo, timeStamp } from "#shared/dates.ts";

const moment = new Date("2026-12-07T14:05:09.000Z");

describe("one date rule: British English in UTC, the same on server and browser", () => {
  it("names a day as '7 Dec 2026', never as ISO", () => {
    expect(formatDay(moment)).toBe("7 Dec 2026");
    expect(formatDay("2026-12-07T23:59:00.000Z")).toBe("7 Dec 2026");
  });

  it("names a moment with a 24-hour clock and says the zone", () => {
    expect(formatDateTime(moment)).toBe("7 Dec 2026, 14:05 UTC");
    expect(formatDateTime(moment.toISOString())).toBe("7 Dec 2026, 14:05 UTC");
  });

  it("does not depend on the process's time zone: late evening in UTC is still that day", () => {
    // Just before midnight UTC is already the next day east of Greenwich.
    expect(formatDay("2026-03-01T23:30:00.000Z")).toBe("1 Mar 2026");
    expect(formatMonth("2026-03-31T23:30:00.000Z")).toBe("March 2026");
  });

  it("says how long ago as social apps do, and the date after a week", () => {
    const now = new Date("2026-12-07T15:00:00.000Z");
    expect(formatTimeAgo(new Date("2026-12-07T14:59:30.000Z"), now)).toBe("now");
    expect(formatTimeAgo(new Date("2026-12-07T14:55:00.000Z"), now)).toBe("5m");
    expect(formatTimeAgo(new Date("2026-12-07T12:00:00.000Z"), now)).toBe("3h");
    expect(formatTimeAgo(new Date("2026-12-05T15:00:00.000Z"), now)).toBe("2d");
    expect(formatTimeAgo(new Date("2026-03-12T10:00:00.000Z"), now)).toBe("12 Mar");
    expect(formatTimeAgo(new Date("2024-03-12T10:00:00.000Z"), now)).toBe("12 Mar 2024");
    // A clock slightly behind the writer's never says "in the future".
    expect(formatTimeAgo(new Date("2026-12-07T15:00:05.000Z"), now)).toBe("now");
  });

  it("stamps a moment with ISO for machines and words for people", () => {
    expect(timeStamp(moment, new Date("2026-12-07T17:05:09.000Z"))).toEqual({
      iso: "2026-12-07T14:05:09.000Z",
      ago: "3h",
      full: "7 Dec 2026, 14:05 UTC",
    });
  });
});
