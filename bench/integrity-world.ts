/**
 * What every scenario shares: the app's address, the bench's database handle, the mail sink,
 * the rules' amounts, and opening an account through the sign-up door (then verifying its
 * email from the mail the app sent, when it sends one).
 */
import { randomBytes } from "node:crypto";
import type { Db } from "#db/create-db.ts";
import { signIn, signUp, type Outcome } from "./integrity-actions.ts";
import { BrowserClient } from "./integrity-client.ts";
import type { MailSink } from "./integrity-mail.ts";
import type { RuleAmounts, Scenario } from "./integrity-tally.ts";

export const PASSWORD = "integrity-bench-password";

export type World = {
  appUrl: string;
  db: Db;
  mail: MailSink;
  rules: RuleAmounts;
  /** A few letters that keep this run's handles and emails apart from any other's. */
  tag: string;
  /** Set once the first sign-up shows whether the app sends verification mail. */
  sendsVerificationMail: boolean | null;
  clients: BrowserClient[];
};

export function newWorld(appUrl: string, db: Db, mail: MailSink, rules: RuleAmounts): World {
  return {
    appUrl,
    db,
    mail,
    rules,
    tag: randomBytes(2).toString("hex"),
    sendsVerificationMail: null,
    clients: [],
  };
}

/** The users table's id behind a GraphQL global id ("User:<uuid>" in base64). */
export function databaseId(globalId: string): string {
  const decoded = Buffer.from(globalId, "base64").toString("utf8");
  return decoded.slice(decoded.indexOf(":") + 1);
}

export type Account = { id: string; handle: string; email: string; client: BrowserClient };

export function newClient(world: World, address: string): BrowserClient {
  const client = new BrowserClient(world.appUrl, address);
  world.clients.push(client);
  return client;
}

/** Counts what came back, e.g. "signUp: RateLimitedError (Too many sign-ups…)". */
export function tally(scenario: Scenario, action: string, outcome: Outcome) {
  const key = outcome.ok
    ? `${action}: ok`
    : `${action}: ${outcome.type}${outcome.message ? ` (${outcome.message.slice(0, 90)})` : ""}`;
  scenario.outcomes.set(key, (scenario.outcomes.get(key) ?? 0) + 1);
}

const VERIFY_LINK = /https?:\/\/\S*verif\S*/i;

/** Follows the verification link mailed to `email`, if the app sends one. */
export async function verifyEmail(world: World, account: Account, scenario: Scenario) {
  if (world.sendsVerificationMail === false) return;
  // Generous waits: on a loaded machine mail can take seconds. Only a first wait that saw no
  // mail at all (a platform that sends none) stops the others from waiting.
  const link = await world.mail.linkFor(account.email, VERIFY_LINK, 30_000);
  if (link) world.sendsVerificationMail = true;
  else if (world.sendsVerificationMail === null && world.mail.mails.length === 0) {
    world.sendsVerificationMail = false;
  }
  if (!link) return;
  // As a person does: open the link, then press the page's button (a POST with the token).
  const url = new URL(link);
  const page = await account.client.request("GET", url.pathname + url.search);
  const token = url.searchParams.get("token") ?? "";
  const answer = await account.client.request(
    "POST",
    url.pathname + url.search,
    new URLSearchParams({ token }).toString(),
    { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin" },
  );
  const isConfirmed = page.status === 200 && /is confirmed/.test(answer.body);
  tally(scenario, "verifyEmail", {
    ok: isConfirmed,
    type: `HTTP ${page.status}/${answer.status}`,
    message: isConfirmed ? null : answer.body.replace(/<[^>]*>/g, " ").slice(0, 80),
  });
}

/**
 * Signs up through the door from `address` with a fresh cookie jar (no device cookie, no
 * session), signs in, and verifies the email when mail comes. Null when the sign-up was refused.
 */
export async function openAccount(
  world: World,
  scenario: Scenario,
  address: string,
  handle: string,
  email: string,
): Promise<Account | null> {
  const client = newClient(world, address);
  const started = await signUp(client, { handle, email, password: PASSWORD });
  tally(scenario, "signUp", started);
  if (!started.ok) return null;
  // Sign-up opens no session: sign in with the password, as a person does.
  const created = await signIn(client, { email, password: PASSWORD });
  tally(scenario, "signIn", created);
  if (!created.ok || !created.id) return null;
  scenario.userIds.add(databaseId(created.id));
  const account = { id: created.id, handle, email, client };
  await verifyEmail(world, account, scenario);
  return account;
}
