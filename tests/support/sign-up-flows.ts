import type { TestClient } from "./http-client.ts";

type AccountInput = { email: string; handle: string; password: string; displayName?: string };

/**
 * Signs up through the GraphQL API, then signs in with the password (sign-up opens no
 * session): the client holds the new account's session cookie. Returns the user's global id.
 */
export async function signUpAndSignInByGraphQL(
  client: TestClient,
  input: AccountInput,
): Promise<{ id: string; handle: string }> {
  const started = await client.graphql<{ signUp: { __typename: string } }>(
    `mutation ($input: SignUpInput!) { signUp(input: $input) { __typename ... on Error { message } } }`,
    { input },
  );
  if (started.body.data?.signUp.__typename !== "SignUpStarted") {
    throw new Error(`sign-up failed: ${JSON.stringify(started.body)}`);
  }
  const signedIn = await client.graphql<{
    signIn: { __typename: string; user: { id: string; handle: string } };
  }>(
    `mutation ($input: SignInInput!) { signIn(input: $input) { __typename ... on AuthPayload { user { id handle } } ... on Error { message } } }`,
    { input: { email: input.email, password: input.password } },
  );
  const payload = signedIn.body.data?.signIn;
  if (payload?.__typename !== "AuthPayload" || !client.sessionCookie) {
    throw new Error(`sign-in after sign-up failed: ${JSON.stringify(signedIn.body)}`);
  }
  return payload.user;
}

/**
 * Signs up through the web form, then signs in through the sign-in form: the client holds
 * the new account's session cookie.
 */
export async function signUpAndSignInByForm(
  client: TestClient,
  input: AccountInput,
): Promise<void> {
  const fields: Record<string, string> = {
    email: input.email,
    handle: input.handle,
    password: input.password,
  };
  if (input.displayName) fields.displayName = input.displayName;
  const started = await client.postForm("/signup", fields);
  // Field errors answer 200 too: only the "check your inbox" page means it went through.
  const html = await started.text();
  if (started.status !== 200 || !html.includes("Check your inbox")) {
    throw new Error(`sign-up failed: ${started.status}`);
  }
  const signedIn = await client.postForm("/signin", {
    email: input.email,
    password: input.password,
  });
  if (signedIn.status !== 302 || !client.sessionCookie) {
    throw new Error(`sign-in after sign-up failed: ${signedIn.status}`);
  }
}
