import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import {
  createRewardEvents,
  LISTENERS_PER_TOPIC_BEFORE_WARNING,
  type RewardEventTarget,
} from "#core/rewards/reward-events.ts";
import { whileSessionActive } from "#graphql/session-stream.ts";

describe("live streams of a session", () => {
  it("a client that goes away drops its listener at once, without waiting for another event", async () => {
    const target = new EventTarget();
    const events = createRewardEvents(target as unknown as RewardEventTarget);
    const stream = whileSessionActive(
      events.subscribe("notification:new", "user-1"),
      async () => true,
    );
    const pending = stream.next();
    await new Promise((resolve) => setImmediate(resolve));
    expect(getEventListeners(target, "notification:new:user-1")).toHaveLength(1);
    await stream.return!();
    expect(await pending).toMatchObject({ done: true });
    expect(getEventListeners(target, "notification:new:user-1")).toHaveLength(0);
  });

  it("delivers events while the session is active and ends once it is signed out", async () => {
    const events = createRewardEvents();
    let active = true;
    const stream = whileSessionActive(
      events.subscribe("notification:new", "u"),
      async () => active,
    );
    const ping = { notificationId: "1", kind: "like", unreadCount: 1 };
    const first = stream.next();
    events.publish("notification:new", "u", ping);
    expect(await first).toEqual({ done: false, value: ping });
    active = false;
    const second = stream.next();
    events.publish("notification:new", "u", ping);
    expect(await second).toMatchObject({ done: true });
  });

  it("one person with many pages open (30 streams) is not reported as a listener leak", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const events = createRewardEvents();
      const streams = Array.from({ length: 30 }, () => events.subscribe("notification:new", "u"));
      const pending = streams.map((stream) => stream.next());
      await new Promise((resolve) => setImmediate(resolve));
      const ping = { notificationId: "1", kind: "like", unreadCount: 1 };
      events.publish("notification:new", "u", ping);
      // Every stream still gets the event.
      expect(await Promise.all(pending)).toEqual(streams.map(() => ({ done: false, value: ping })));
      await Promise.all(streams.map((stream) => stream.return!()));
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
      expect(LISTENERS_PER_TOPIC_BEFORE_WARNING).toBeGreaterThan(30);
    } finally {
      process.off("warning", onWarning);
    }
  });
});
