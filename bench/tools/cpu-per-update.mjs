#!/usr/bin/env node
// Diagnosis: server CPU time per webhook update (µs) for `/start <valid token>`,
// the step that completes a login (scan, session, the bot's reply), against the
// bare Nest hello, over a fixed number of updates. Each round spends fresh logins
// (created first, without the QR, and not measured).
// Usage: node bench/tools/cpu-per-update.mjs [updates] [rounds] [KEY=VALUE ...]
// (KEY=VALUE: our service's environment, e.g. LOG_LEVEL=warn, as in cpu-per-request.mjs;
// PROFILE=<file> in this tool's own environment writes a CPU profile of the last round's updates;
// DIST=<dir> measures another build, e.g. an earlier commit's for an A/B; CONNECTIONS=<n> sets the load's
// connections (default 10; 1 leaves the machine's other core idle, for a profile without preemption in it)).
// Measures dist/ as it is: run `npm run build` first.
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startNestHello, startOurs } from '../lib/figures.mjs';
import { createLogins } from '../lib/http.mjs';
import { measureThroughput } from '../lib/load.mjs';
import { stopAll } from '../lib/processes.mjs';
import { startUpdate, unknownToken } from '../lib/updates.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const [amountArg, roundsArg, ...pairs] = process.argv.slice(2);
const amount = Number(amountArg ?? 5000);
const rounds = Number(roundsArg ?? 3);
const extra = Object.fromEntries(
  pairs.map((pair) => [
    pair.slice(0, pair.indexOf('=')),
    pair.slice(pair.indexOf('=') + 1),
  ]),
);
const ctx = {
  dist: resolve(process.env.DIST ?? join(ROOT, 'dist')),
  oursEnv: extra,
  reuse: false,
};

const hello = await startNestHello(ctx);
const ours = await startOurs(ctx, 'ours', { BENCH_NO_QR: '1' });

async function cpuPer(subject, measure, profileTo) {
  const stop = profileTo ? await subject.startProfile() : undefined;
  const before = await subject.load();
  const result = await measure();
  const after = await subject.load();
  if (stop) await stop(profileTo);
  return {
    usPer: ((after.cpu - before.cpu) * 1000) / amount,
    rps: result.rps,
  };
}

const helloRequests = () =>
  measureThroughput({
    url: `${hello.url}/hello`,
    body: { hello: 'world', n: 1 },
    amount,
    warmupSeconds: 0,
    expectStatus: 201,
  });

async function validUpdates() {
  const logins = await createLogins(ours.url, '/auth/token', amount);
  let next = 0;
  return () =>
    measureThroughput({
      url: `${ours.url}/telegram/webhook`,
      nextBody: () => startUpdate(logins[next++].token),
      amount,
      warmupSeconds: 0,
      expectStatus: 200,
      connections: Number(process.env.CONNECTIONS ?? 10),
    });
}

try {
  // Warm-up: both paths once, so that the first round is not the JIT's.
  await helloRequests();
  await measureThroughput({
    url: `${ours.url}/telegram/webhook`,
    nextBody: () => startUpdate(unknownToken()),
    amount: 2000,
    warmupSeconds: 0,
    expectStatus: 200,
  });
  await (
    await validUpdates()
  )();
  for (let round = 1; round <= rounds; round++) {
    const base = await cpuPer(hello, helloRequests);
    const updates = await validUpdates();
    const mine = await cpuPer(
      ours,
      updates,
      round === rounds ? process.env.PROFILE : undefined,
    );
    console.log(
      `round ${round}: hello ${base.usPer.toFixed(1)} µs/req (${Math.round(base.rps)}/s), ours ${mine.usPer.toFixed(1)} µs/update (${Math.round(mine.rps)}/s), cpu ratio ${(mine.usPer / base.usPer).toFixed(2)}×`,
    );
  }
} finally {
  await stopAll();
}
