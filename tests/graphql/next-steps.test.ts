import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getNextSteps } from "#core/home/next-steps.ts";
import { CHECK_IN_KIND } from "#core/rewards/check-in.ts";
import { getRewardRule } from "#core/rewards/reward.service.ts";
import { TestClient } from "#tests/support/http-client.ts";
import { testBackends } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";
import { gql, newPerson } from "./social-fixtures.ts";

const NEXT_STEPS = /* GraphQL */ `
  query NextSteps {
    viewer {
      nextSteps {
        kind
        title
        detail
        href
        pays
      }
    }
  }
`;

type Step = { kind: string; title: string; detail: string; href: string; pays: string | null };

describe.each(testBackends())("viewer.nextSteps on %s", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  it("lists the same steps the home page shows, with what the check-in pays", async () => {
    const person = await newPerson(server);
    const data = await gql<{ viewer: { nextSteps: Step[] } }>(person.client, NEXT_STEPS);
    const steps = data.viewer.nextSteps;
    const core = await getNextSteps(server.services, person.user.id);
    expect(steps.map((s) => s.kind)).toEqual(core.map((s) => s.kind.toUpperCase()));
    expect(steps.map((s) => s.href)).toEqual(core.map((s) => s.href));
    const checkIn = steps.find((s) => s.kind === "CHECK_IN");
    const rule = await getRewardRule(server.db, CHECK_IN_KIND);
    expect(checkIn).toMatchObject({ href: "/wallet", pays: rule!.amount.toString() });
  });

  it("are private: another user's are forbidden, and signed out there is no viewer", async () => {
    const owner = await newPerson(server);
    const other = await newPerson(server);
    const { body } = await other.client.graphql<{ user: { nextSteps: null } | null }>(
      /* GraphQL */ `
        query ($handle: String!) {
          user(handle: $handle) {
            nextSteps {
              kind
            }
          }
        }
      `,
      { handle: owner.user.handle },
    );
    expect(body.data?.user).toEqual({ nextSteps: null });
    expect(body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    const signedOut = await gql<{ viewer: null }>(new TestClient(server.url), NEXT_STEPS);
    expect(signedOut.viewer).toBeNull();
  });
});
