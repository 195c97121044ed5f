/**
 * `npm run bench:integrity` (issue #15, "Measured, with a benchmark"): scripted attackers and
 * honest newcomers side by side against the real app server on Postgres.
 *
 * 1. Builds the app (under /tmp/tributary-build.lock, copied aside; BENCH_SKIP_BUILD=1 copies
 *    build/ as it is), creates a throwaway database, starts an SMTP sink on loopback and the
 *    app in a process of its own (production mode, CHAIN=off, no demo data, SMTP_URL → sink).
 * 2. Runs the attackers (bench/integrity-attacks.ts) and the honest users
 *    (bench/integrity-honest.ts) at the same time, all through GraphQL over HTTP, each from
 *    a loopback address of its own (attackers: one address each, cookies dropped at will).
 * 3. Advances a simulated clock an hour at a time up to BENCH_HORIZON_HOURS (168), running the
 *    platform's scheduled steps in this process at that `now` (bench/integrity-tally.ts), and
 *    notes when each honest reward became available.
 * 4. Prints per attack what it earned (its rewards of the kinds it was after, available at the
 *    end) as a share of what a naive platform would pay for what it attempted, and for the
 *    honest users the share held for review and the median hours to available; the last line
 *    is one JSON object.
 *
 * Postgres: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else
 * postgres://postgres@127.0.0.1:5432/test (it creates and drops its own database there).
 */
import { formatMicro } from "#shared/money.ts";
import { createDb } from "#db/create-db.ts";
import { createScratchDatabase } from "#tests/support/scratch-database.ts";
import { privateBuild, startApp } from "./integrity-app.ts";
import {
  concurrentDuplicates,
  followCycling,
  instantBots,
  likeCycling,
  likeRing,
  questFarming,
  signupFarm,
  sockpuppetFarm,
} from "./integrity-attacks.ts";
import { honestUsers } from "./integrity-honest.ts";
import { MailSink } from "./integrity-mail.ts";
import { measureHonest, type HonestFigures } from "./integrity-honest-figures.ts";
import {
  databaseNow,
  earnedBy,
  readRuleAmounts,
  scheduledSteps,
  share,
  type Scenario,
} from "./integrity-tally.ts";
import { newWorld } from "./integrity-world.ts";

const adminUrl =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  "postgres://postgres@127.0.0.1:5432/test";
const horizonHours = Number(process.env.BENCH_HORIZON_HOURS ?? 168);

/** Targets from the issue. */
const TARGET_ATTACK_SHARE = 0.05;
const TARGET_SIGNUP_SHARE = 0.01;
const TARGET_MEDIAN_HOURS = 24;

const log = (line: string) => console.log(line);
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

const t0 = performance.now();
const build = privateBuild();
log(`build ready in ${build.seconds.toFixed(1)} s`);
const database = await createScratchDatabase(adminUrl, `bench_integrity_${process.pid}`);
const mail = await MailSink.start();
let failed = true;
const cleanups: (() => unknown)[] = [build.remove, () => mail.close(), () => database.drop()];
try {
  const app = await startApp({ databaseUrl: database.url, buildDir: build.dir, smtpUrl: mail.url });
  cleanups.unshift(() => app.stop(failed));
  const db = createDb({ kind: "postgres", url: database.url, poolSize: 4 });
  cleanups.unshift(() => db.destroy());
  log(
    `app ${app.url} (pid ${app.pid}) on ${new URL(database.url).pathname.slice(1)}, mail sink ${mail.url}`,
  );
  const world = newWorld(app.url, db, mail, await readRuleAmounts(db));
  cleanups.unshift(() => world.clients.forEach((c) => c.close()));
  const started = performance.now();
  const [honest, attacks] = await Promise.all([
    honestUsers(world, 6, 8, 2),
    (async () => {
      const scenarios: Scenario[] = [];
      // One at a time among themselves (a 2-core machine), beside the honest users.
      scenarios.push(await signupFarm(world, 0, 30));
      scenarios.push(await likeRing(world, 1, 6, 5));
      scenarios.push(await sockpuppetFarm(world, 2, 15, 5));
      scenarios.push(await likeCycling(world, 3, 40));
      scenarios.push(await followCycling(world, 4, 40));
      scenarios.push(await questFarming(world, 5, 3));
      scenarios.push(await instantBots(world, 6, "river-run", 2));
      scenarios.push(await instantBots(world, 7, "tide-tiles", 2));
      scenarios.push(await instantBots(world, 8, "rapids-rhythm", 2));
      scenarios.push(await concurrentDuplicates(world, 9, 40));
      return scenarios;
    })(),
  ]);
  log(`actions done in ${seconds(started)}`);

  // The clock: an hour at a time, the scheduled steps at that hour.
  const clockStart = await databaseNow(db);
  const steps = scheduledSteps(db);
  const honestIds = [...honest.scenario.userIds];
  const figures: HonestFigures = await measureHonest(
    db,
    honestIds,
    clockStart,
    horizonHours,
    steps.step,
  );
  log(
    `clock advanced ${horizonHours} h in ${seconds(started)}: ${steps.done.activated} accounts activated, ${steps.done.leftReview} rewards left review, ${steps.done.released} released`,
  );

  const rows = await Promise.all(
    attacks.map(async (s) => ({ scenario: s, ...(await earnedBy(db, s)) })),
  );

  log("");
  log("Attack                     attempts    naive MICRO    earned MICRO    share   target");
  for (const { scenario, earned } of rows) {
    const target = scenario.name === "signup_farm" ? TARGET_SIGNUP_SHARE : TARGET_ATTACK_SHARE;
    const s = share(earned, scenario.naive);
    log(
      `${scenario.name.padEnd(26)} ${String(scenario.attempts).padStart(8)} ${formatMicro(scenario.naive).padStart(14)} ${formatMicro(earned).padStart(15)} ${(s * 100).toFixed(2).padStart(7)}%  ${s <= target ? "ok" : `> ${target * 100}%`}`,
    );
  }
  log("");
  log("What each scenario did (the doors' answers, counted):");
  for (const { scenario, breakdown } of [
    ...rows,
    { scenario: honest.scenario, breakdown: new Map<string, never>() },
  ]) {
    log(`- ${scenario.name}: ${scenario.summary}`);
    for (const line of scenario.did) log(`    ${line}`);
    for (const [outcome, count] of [...scenario.outcomes].sort()) log(`    ${count} × ${outcome}`);
    for (const [key, { count, amount }] of [...breakdown].sort()) {
      log(`    rewards at the end: ${count} × ${key}, ${formatMicro(amount)} MICRO`);
    }
  }
  log("");
  log(
    `Honest newcomers (${honestIds.length}): ${figures.rewards} rewards, ${formatMicro(figures.amount)} MICRO`,
  );
  log(
    `  held for review: ${figures.heldCount} rewards, ${(figures.heldShare * 100).toFixed(1)}% of the amount; without a stated signal: ${figures.heldWithoutSignal}`,
  );
  for (const [reason, count] of figures.holdReasons) log(`    ${count} × held: ${reason}`);
  for (const [reason, count] of figures.refusedReasons) log(`    ${count} × refused: ${reason}`);
  log(
    `  refused: ${figures.refused}; reversed: ${figures.reversed}; never available within ${horizonHours} h: ${figures.neverAvailable}`,
  );
  log(
    `  median hours to available: ${figures.medianHours ?? `> ${horizonHours}`} (target ≤ ${TARGET_MEDIAN_HOURS})`,
  );
  for (const [kind, hours] of figures.medianByKind)
    log(`    ${kind}: median ${hours ?? `> ${horizonHours}`} h`);

  const attackShares = Object.fromEntries(
    rows.map(({ scenario, earned }) => [scenario.name, share(earned, scenario.naive)]),
  );
  log(`total ${seconds(t0)}`);
  log(
    JSON.stringify({
      bench: "integrity",
      worst_attack_share: Math.max(...Object.values(attackShares)),
      signup_farm_share: attackShares.signup_farm ?? null,
      honest_held_without_signal: figures.heldWithoutSignal,
      honest_held_share: figures.heldShare,
      honest_median_hours_to_available: figures.medianHours,
      attacks: attackShares,
    }),
  );
  failed = false;
} finally {
  for (const cleanup of cleanups) await cleanup();
}
