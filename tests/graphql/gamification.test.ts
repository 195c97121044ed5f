import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import { addDays, dayStart, utcDay, weekStartOf } from "#core/gamification/calendar.ts";
import { STREAK_REPAIR_PRICE } from "#core/gamification/gamification-rules.ts";
import { verifyLedger } from "#core/ledger/verify-ledger.ts";
import { RewardEngine } from "#core/rewards/reward-engine.ts";
import { TestClient } from "#tests/support/http-client.ts";
import { testBackends } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";
import { gql, newPerson } from "./social-fixtures.ts";

const PROGRESS = /* GraphQL */ `
  query Progress {
    viewer {
      progress {
        xp
        level
        levelStartsAt
        nextLevelAt
        postCapBonus
        perks {
          id
          unlocksAtLevel
          isUnlocked
        }
        trust {
          level
          name
          next {
            level
            name
            requirements {
              kind
              current
              required
              isMet
            }
          }
        }
        streak {
          length
          isTodayDone
          freezesLeftThisWeek
          nextMilestone
          repair {
            isAvailable
            day
            price
            unavailableReason
          }
        }
        quests {
          id
          title
          progress
          target
          isCompleted
        }
        badges {
          id
          category
          art
          earnedAt
        }
        season {
          id
          name
        }
      }
    }
  }
`;

const CHECK_IN = /* GraphQL */ `
  mutation {
    checkIn {
      __typename
    }
  }
`;

const REPAIR = /* GraphQL */ `
  mutation {
    repairStreak {
      __typename
      ... on RepairStreakPayload {
        repairedDay
        price
        streak {
          length
          repairedDays
          frozenDays
        }
      }
      ... on StreakRepairUnavailableError {
        reason
      }
      ... on Error {
        message
      }
    }
  }
`;

const LEADERBOARDS = /* GraphQL */ `
  query Boards {
    xpLeaderboard(period: WEEK, first: 100) {
      period
      entries {
        rank
        xp
        user {
          handle
        }
      }
      viewer {
        rank
        xp
      }
    }
    earnersLeaderboard(period: SEASON, first: 100) {
      season {
        id
      }
      entries {
        amount
        user {
          handle
        }
      }
      viewer {
        amount
      }
    }
    currentSeason {
      id
    }
  }
`;

describe.each(testBackends())("gamification over GraphQL on %s", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(async () => {
    expect((await verifyLedger(server.db)).violations).toEqual([]);
    await server.close();
  });

  it("viewer.progress shows level, perks, trust with what the next level takes, streak, quests, badges and season", async () => {
    const person = await newPerson(server);
    await gql(person.client, CHECK_IN);
    const data = await gql<{ viewer: { progress: Record<string, unknown> } }>(
      person.client,
      PROGRESS,
    );
    const progress = data.viewer.progress;
    expect(progress).toMatchObject({
      xp: 5,
      level: 1,
      levelStartsAt: 0,
      nextLevelAt: 50,
      postCapBonus: 0,
      trust: { level: 0, name: "new", next: { level: 1, name: "basic" } },
      streak: {
        length: 1,
        isTodayDone: true,
        freezesLeftThisWeek: 1,
        nextMilestone: 3,
        repair: { isAvailable: false, unavailableReason: "NOT_BROKEN" },
      },
      season: { id: new Date().toISOString().slice(0, 7) },
    });
    const requirements = (progress.trust as { next: { requirements: { kind: string }[] } }).next
      .requirements;
    expect(requirements.map((r) => r.kind)).toEqual([
      "ACCOUNT_AGE",
      "ACTIVE_DAYS",
      "ACTIONS",
      "GOOD_STANDING",
    ]);
    expect(progress.perks).toContainEqual({
      id: "post-cap-2",
      unlocksAtLevel: 3,
      isUnlocked: false,
    });
    expect((progress.quests as unknown[]).length).toBe(3);
    const badges = progress.badges as { category: string; art: string; earnedAt: string | null }[];
    expect(badges.some((b) => b.category === "GAME")).toBe(true);
    expect(badges.every((b) => b.art.startsWith("<svg") && b.earnedAt === null)).toBe(true);
  });

  it("progress is private: another user's is forbidden, signed out there is none; badges are public", async () => {
    const owner = await newPerson(server);
    const other = await newPerson(server);
    const { body } = await other.client.graphql<{
      user: { progress: null; badges: unknown[] } | null;
    }>(
      /* GraphQL */ `
        query ($handle: String!) {
          user(handle: $handle) {
            badges {
              id
            }
            progress {
              xp
            }
          }
        }
      `,
      { handle: owner.user.handle },
    );
    expect(body.data?.user).toEqual({ badges: [], progress: null });
    expect(body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    const anonymous = new TestClient(server.url);
    const signedOut = await gql<{ viewer: null }>(anonymous, PROGRESS);
    expect(signedOut.viewer).toBeNull();
    const repair = await gql<{ repairStreak: { __typename: string } }>(anonymous, REPAIR);
    expect(repair.repairStreak.__typename).toBe("NotSignedInError");
  });

  it("repairStreak mends a streak broken by one missed day, once, for a price; otherwise says why", async () => {
    const person = await newPerson(server);
    const userId = person.user.id as UserId;
    await server.db
      .updateTable("users")
      // An established member: a newcomer's check-ins past the allowance wait for activation.
      .set({ created_at: new Date(Date.now() - 60 * 86_400_000), activated_at: new Date() })
      .where("id", "=", userId)
      .execute();
    // Check-ins on past days, paid by an engine whose clock the test sets. Two days are
    // missed in one ISO week: the first is frozen, the second (within 48 hours) breaks it.
    const today = utcDay(new Date());
    const yesterday = addDays(today, -1);
    const broken = weekStartOf(yesterday) === yesterday ? addDays(today, -2) : yesterday;
    const frozen = addDays(broken, -1);
    let clock = new Date();
    const engine = new RewardEngine(server.db, { now: () => clock });
    const days = [
      ...Array.from({ length: 5 }, (_, i) => addDays(frozen, -5 + i)),
      ...(broken === yesterday ? [] : [yesterday]),
    ];
    for (const day of days) {
      clock = new Date(dayStart(day).getTime() + 12 * 3_600_000);
      const paid = await engine.reward({
        actionKind: "checkin.daily",
        userId,
        causeId: `${userId}:${day}`,
        memo: "Checked in",
      });
      expect(paid.ok && paid.value.status).toBe("available");
    }
    const before = await gql<{
      viewer: { progress: { streak: { length: number; repair: Record<string, unknown> } } };
    }>(person.client, PROGRESS);
    expect(before.viewer.progress.streak.repair).toMatchObject({
      isAvailable: true,
      day: broken,
      price: STREAK_REPAIR_PRICE.toString(),
    });

    const repaired = await gql<{ repairStreak: Record<string, unknown> }>(person.client, REPAIR);
    expect(repaired.repairStreak).toMatchObject({
      __typename: "RepairStreakPayload",
      repairedDay: broken,
      price: STREAK_REPAIR_PRICE.toString(),
      streak: { length: days.length, repairedDays: [broken], frozenDays: [frozen] },
    });
    const again = await gql<{ repairStreak: Record<string, unknown> }>(person.client, REPAIR);
    expect(again.repairStreak).toMatchObject({
      __typename: "StreakRepairUnavailableError",
      reason: "NOT_BROKEN",
    });
  });

  it("leaderboards rank the week's XP and the season's earnings, with the viewer's own place", async () => {
    const ana = await newPerson(server);
    const ben = await newPerson(server);
    await gql(ana.client, CHECK_IN);
    await gql(ben.client, CHECK_IN);
    await server.services.rewards.reward({
      actionKind: "game.achievement",
      userId: ana.user.id as UserId,
      causeId: `bonus:${ana.user.id}`,
      memo: "An achievement",
    });
    await server.db
      .updateTable("users")
      .set({ shows_earnings: true })
      .where("id", "=", ana.user.id)
      .execute();

    const boards = await gql<{
      xpLeaderboard: {
        entries: { rank: number; xp: number; user: { handle: string } }[];
        viewer: { rank: number; xp: number };
      };
      earnersLeaderboard: {
        season: { id: string };
        entries: { amount: string; user: { handle: string } }[];
        viewer: { amount: string };
      };
      currentSeason: { id: string };
    }>(ben.client, LEADERBOARDS);
    const xp = boards.xpLeaderboard;
    const anaEntry = xp.entries.find((e) => e.user.handle === ana.user.handle)!;
    const benEntry = xp.entries.find((e) => e.user.handle === ben.user.handle)!;
    expect(anaEntry.xp).toBe(30);
    expect(benEntry.xp).toBe(5);
    expect(anaEntry.rank).toBeLessThan(benEntry.rank);
    expect(xp.viewer).toEqual({ rank: benEntry.rank, xp: 5 });

    const earners = boards.earnersLeaderboard;
    expect(earners.season.id).toBe(boards.currentSeason.id);
    const handles = earners.entries.map((e) => e.user.handle);
    expect(handles).toContain(ana.user.handle);
    expect(handles).toContain(ben.user.handle);
    expect(earners.viewer.amount).toBe((10n ** 16n).toString());
    // Ben did not choose to show his earnings: Ana does not see them.
    const asAna = await gql<{ earnersLeaderboard: { entries: { user: { handle: string } }[] } }>(
      ana.client,
      LEADERBOARDS,
    );
    expect(asAna.earnersLeaderboard.entries.map((e) => e.user.handle)).not.toContain(
      ben.user.handle,
    );
  });
});
