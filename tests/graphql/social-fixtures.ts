import { encodeGlobalID } from "@pothos/plugin-relay";
import type { SignedIn } from "#core/auth/account.service.ts";
import { SESSION_COOKIE_NAME } from "#core/auth/session-cookie.ts";
import type { Db } from "#db/create-db.ts";
import { createUser } from "#tests/support/factories.ts";
import { TestClient } from "#tests/support/http-client.ts";
import type { TestServer } from "#tests/support/test-server.ts";

// Small factories for the social GraphQL suites: people with a signed-in client each.

export type Person = SignedIn & { client: TestClient; globalId: string };

/** A new account and a client carrying its session cookie, as a signed-in browser would. */
export async function newPerson(server: TestServer): Promise<Person> {
  const signedIn = await createUser(server.db);
  const client = new TestClient(server.url);
  client.setSessionCookie(`${SESSION_COOKIE_NAME}=${signedIn.token}`);
  return { ...signedIn, client, globalId: encodeGlobalID("User", signedIn.user.id) };
}

export async function makeAdmin(db: Db, person: Person): Promise<void> {
  await db.updateTable("users").set({ is_admin: true }).where("id", "=", person.user.id).execute();
}

export const postGlobalId = (id: bigint | number | string) => encodeGlobalID("Post", String(id));
export const commentGlobalId = (id: bigint | number | string) =>
  encodeGlobalID("Comment", String(id));

/** The `data` of a GraphQL answer, failing loudly (with the errors) when there is none. */
export async function gql<T>(
  client: TestClient,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const { status, body } = await client.graphql<T>(query, variables);
  if (status !== 200 || body.errors || !body.data) {
    throw new Error(`GraphQL ${status}: ${JSON.stringify(body.errors ?? body)}`);
  }
  return body.data;
}
