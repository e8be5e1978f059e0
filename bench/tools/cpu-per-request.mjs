#!/usr/bin/env node
// Diagnosis: server CPU time per request (µs) for POST /auth/token against the bare
// Nest hello, measured over a fixed number of requests. Steadier than requests per
// second on a noisy machine, because it does not depend on how much CPU the load
// generator gets. Usage: node bench/tools/cpu-per-request.mjs [requests] [rounds] [KEY=VALUE ...]
// (KEY=VALUE: our service's environment, e.g. BENCH_NO_QR=1 to leave the QR out, see bench/lib/probe.mjs;
// PROFILE=<file> in this tool's own environment writes a CPU profile of our measured requests).
// Measures dist/ as it is: run `npm run build` first.
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startNestHello, startOurs } from '../lib/figures.mjs';
import { measureThroughput } from '../lib/load.mjs';
import { stopAll } from '../lib/processes.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const [amountArg, roundsArg, ...pairs] = process.argv.slice(2);
const amount = Number(amountArg ?? 20000);
const rounds = Number(roundsArg ?? 3);
const extra = Object.fromEntries(
  pairs.map((pair) => [
    pair.slice(0, pair.indexOf('=')),
    pair.slice(pair.indexOf('=') + 1),
  ]),
);
// Our service configured exactly as the bench configures it (see oursEnvironment in bench/lib/figures.mjs).
const ctx = { dist: join(ROOT, 'dist'), oursEnv: extra, reuse: false };

const hello = await startNestHello(ctx);
const ours = await startOurs(ctx, 'ours');

async function cpuPerRequest(subject, url, body) {
  await measureThroughput({
    url,
    body,
    amount: 2000,
    warmupSeconds: 0,
    expectStatus: 201,
  });
  const stop =
    process.env.PROFILE && subject === ours
      ? await subject.startProfile()
      : undefined;
  const before = await subject.load();
  const result = await measureThroughput({
    url,
    body,
    amount,
    warmupSeconds: 0,
    expectStatus: 201,
  });
  const after = await subject.load();
  if (stop) await stop(process.env.PROFILE);
  return {
    usPerRequest: ((after.cpu - before.cpu) * 1000) / amount,
    rps: result.rps,
  };
}

try {
  for (let round = 1; round <= rounds; round++) {
    const base = await cpuPerRequest(hello, `${hello.url}/hello`, {
      hello: 'world',
      n: 1,
    });
    const mine = await cpuPerRequest(ours, `${ours.url}/auth/token`);
    console.log(
      `round ${round}: hello ${base.usPerRequest.toFixed(1)} µs/req (${Math.round(base.rps)}/s), ours ${mine.usPerRequest.toFixed(1)} µs/req (${Math.round(mine.rps)}/s), cpu ratio ${(base.usPerRequest / mine.usPerRequest).toFixed(2)}, rps ratio ${(mine.rps / base.rps).toFixed(2)}`,
    );
  }
} finally {
  await stopAll();
}
