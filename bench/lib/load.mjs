// Closed-loop HTTP throughput with autocannon (programmatic API).
import autocannon from 'autocannon';
import { percentile } from './stats.mjs';
import { nextClientIp } from './updates.mjs';

/**
 * Requests per second that `connections` keep-alive connections get through.
 * A short warm-up run first lets V8 optimise the hot path of both subjects alike.
 * `nextBody()` (optional) makes every request's body, e.g. a new update_id each;
 * `nextHeaders()` (optional) adds headers of its own to every request, e.g. a bearer token each.
 * With `latencies`, the measured run's p50Ms and p99Ms come from every answer's own
 * time, to the microsecond (autocannon's histogram keeps whole milliseconds).
 * Any answer other than `expectStatus` fails the figure instead of flattering it.
 */
export async function measureThroughput({
  url,
  method = 'POST',
  headers = {},
  body,
  nextBody,
  nextHeaders,
  latencies = false,
  connections = 10,
  duration,
  amount,
  warmupSeconds = 1,
  expectStatus,
}) {
  const fixedBody =
    body === undefined
      ? undefined
      : typeof body === 'string'
        ? body
        : JSON.stringify(body);
  const request = {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    // Every request from another client address (see nextClientIp), the baseline's too.
    setupRequest: (req) => ({
      ...req,
      headers: {
        ...req.headers,
        'x-forwarded-for': nextClientIp(),
        ...nextHeaders?.(),
      },
      ...(nextBody
        ? { body: JSON.stringify(nextBody()) }
        : fixedBody !== undefined && { body: fixedBody }),
    }),
  };
  if (warmupSeconds > 0 && !amount)
    await run({
      url,
      connections,
      duration: warmupSeconds,
      requests: [request],
    });
  const times = [];
  const job = run({
    url,
    connections,
    requests: [request],
    ...(amount ? { amount } : { duration }),
  });
  if (latencies)
    job.on('response', (client, status, bytes, ms) => times.push(ms));
  const result = await job;
  const wrong = Object.entries(result.statusCodeStats ?? {})
    .filter(([code]) => Number(code) !== expectStatus)
    .map(([code, { count }]) => `${count}× ${code}`);
  if (wrong.length || result.errors || result.timeouts) {
    throw new Error(
      `${method} ${url}: expected only ${expectStatus}, got ${wrong.join(', ') || 'none wrong'}; errors ${result.errors}, timeouts ${result.timeouts}`,
    );
  }
  const total = result.requests.total;
  return {
    rps: total / result.duration,
    total,
    seconds: result.duration,
    p50Ms: latencies ? percentile(times, 50) : result.latency.p50,
    p99Ms: latencies ? percentile(times, 99) : result.latency.p99,
  };
}

function run(options) {
  // Samples every 100 ms so that a run ends within 0.1 s of its duration or amount (1 s by default).
  return autocannon({ ...options, timeout: 10, sampleInt: 100 });
}
