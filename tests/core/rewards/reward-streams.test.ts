import { describe, expect, it } from "vitest";
import { defaultRules } from "#core/rewards/platform-defaults.ts";
import { gamificationRules } from "#core/gamification/gamification-rules.ts";
import {
  familiesOf,
  isRewardStream,
  rewardStreams,
  streamOf,
} from "#core/rewards/reward-streams.ts";

describe("reward streams", () => {
  it("puts every action the platform pays for in a named stream", () => {
    const kinds = [...defaultRules, ...gamificationRules].map((rule) => rule.actionKind);
    expect(Object.fromEntries(kinds.map((kind) => [kind, streamOf(kind)]))).toEqual({
      "account.welcome": "bonus",
      "checkin.daily": "daily",
      "post.created": "social",
      "like.received": "social",
      "like.given": "social",
      "comment.created": "social",
      "follow.received": "social",
      "game.achievement": "games",
      "streak.bonus": "daily",
      "quest.reward": "daily",
    });
  });

  it("lists each stream's families so a query can filter by them", () => {
    expect(familiesOf("social").sort()).toEqual(["comment", "follow", "like", "post"]);
    for (const stream of rewardStreams)
      for (const family of familiesOf(stream)) expect(streamOf(`${family}.x`)).toBe(stream);
  });

  it("knows its own stream names and nothing else", () => {
    expect(isRewardStream("games")).toBe(true);
    expect(isRewardStream("surveys")).toBe(false);
  });
});
