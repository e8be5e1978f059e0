// Preloaded (`node --import`) into every process the bench measures, ours and the
// baselines alike, so that all of them are observed the same way over the IPC channel:
//   { type: 'memory' }  -> two full GCs, then process.memoryUsage()
//   { type: 'load' }    -> CPU time and event-loop busy/idle time so far
//   { type: 'profile-start' }, { type: 'profile-stop', path } -> a CPU profile of what ran in between
//   { type: 'exit' }    -> a normal exit, which lets `--cpu-prof` write its profile
//
// BENCH_NO_QR=1 (our service only) replaces QrService#toSvgDataUrl with a constant,
// so that "token creation without the QR" runs the very same HTTP path, Nest
// pipeline, LoginService and store, and skips only the QR rendering. The service
// has no such switch; this exists for the bench only and never ships.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

if (process.env.BENCH_NO_QR === '1') {
  const dist = process.env.BENCH_DIST;
  if (!dist)
    throw new Error(
      'BENCH_NO_QR needs BENCH_DIST (the build whose QrService to replace)',
    );
  // ES modules are cached by URL: main.js later imports this same module instance.
  const { QrService } = await import(
    pathToFileURL(join(dist, 'qr', 'qr.service.js')).href
  );
  QrService.prototype.toSvgDataUrl = async () => 'data:image/svg+xml;base64,';
}

// BENCH_DEBUG: notes every event-loop stall over 30 ms (epoch ms, length), for telling the
// subject's own pauses from the machine's (reported with `load`).
const stalls = [];
if (process.env.BENCH_DEBUG) {
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    if (now - last > 40)
      stalls.push([
        Math.round(performance.timeOrigin + last),
        Math.round(now - last - 10),
      ]);
    last = now;
  }, 10).unref();
}

let profiler;
const post = (method, params = {}) =>
  new Promise((resolve, reject) =>
    profiler.post(method, params, (error, result) =>
      error ? reject(error) : resolve(result),
    ),
  );

process.on('message', async (message) => {
  if (!message || typeof message !== 'object') return;
  if (message.type === 'memory') {
    // Twice: the first collection can leave finalizer-held objects for the second.
    globalThis.gc?.();
    globalThis.gc?.();
    process.send?.({
      type: 'memory',
      id: message.id,
      memory: process.memoryUsage(),
      gc: typeof globalThis.gc === 'function',
    });
  } else if (message.type === 'load') {
    // CPU time and event-loop utilization since the process started; the bench takes differences.
    const { idle, active } = performance.eventLoopUtilization();
    process.send?.({
      type: 'load',
      id: message.id,
      cpu: process.cpuUsage(),
      idle,
      active,
      stalls: stalls.splice(0),
    });
  } else if (message.type === 'heap-snapshot') {
    // For diagnosis only (bench/lib/heap-diff.mjs): which objects a waiting login adds.
    globalThis.gc?.();
    const { writeHeapSnapshot } = await import('node:v8');
    process.send?.({
      type: 'heap-snapshot',
      id: message.id,
      path: writeHeapSnapshot(message.path),
    });
  } else if (message.type === 'profile-start') {
    // A CPU profile of one phase only (e.g. the timed pushes), where --cpu-prof covers the whole life.
    const { Session } = await import('node:inspector');
    profiler = new Session();
    profiler.connect();
    await post('Profiler.enable');
    await post('Profiler.start');
    process.send?.({ type: 'profile-start', id: message.id });
  } else if (message.type === 'profile-stop') {
    const { profile } = await post('Profiler.stop');
    profiler.disconnect();
    profiler = undefined;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(message.path, JSON.stringify(profile));
    process.send?.({
      type: 'profile-stop',
      id: message.id,
      path: message.path,
    });
  } else if (message.type === 'exit') {
    process.exit(0);
  }
});
