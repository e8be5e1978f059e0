#!/usr/bin/env node
// Which objects one waiting login adds to the heap, ours against the bare Socket.IO
// server: heap snapshots before and after N logins with a socket each, summed by
// constructor. Diagnosis for the memory figure, not part of `npm run bench`.
//
//   node bench/tools/heap-diff.mjs [--dist dist] [--logins 2000]
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createLogins } from '../lib/http.mjs';
import { startSubject, stopAll } from '../lib/processes.mjs';
import { holdIdleSockets } from '../lib/sockets.mjs';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const { values: args } = parseArgs({
  options: {
    dist: { type: 'string', default: 'dist' },
    logins: { type: 'string', default: '2000' },
  },
});
const dist = resolve(ROOT, args.dist);
const count = Number(args.logins);
// One client address under a limit it never reaches, as in the memory figure.
const oneClient = { 'x-forwarded-for': '10.255.255.254' };

try {
  const ours = await perLogin(
    'ours',
    join(dist, 'app', 'main.js'),
    { RATE_LIMIT_TOKEN: '1000000000', TRUST_PROXY: 'loopback' },
    '/auth/token',
    '/auth/me',
  );
  const bare = await perLogin(
    'bare-socketio',
    join(ROOT, 'bench', 'baseline', 'socketio-server.mjs'),
    {},
    '/token',
    '/',
  );
  const names = new Set([...ours.keys(), ...bare.keys()]);
  const rows = [...names]
    .map((name) => ({
      name,
      ours: ours.get(name) ?? { count: 0, size: 0 },
      bare: bare.get(name) ?? { count: 0, size: 0 },
    }))
    .sort((a, b) => b.ours.size - b.bare.size - (a.ours.size - a.bare.size));
  const total = (map) =>
    [...map.values()].reduce((sum, { size }) => sum + size, 0);
  console.log(
    `Bytes per waiting login (${count} logins): ours ${total(ours).toFixed(0)}, bare Socket.IO ${total(bare).toFixed(0)}\n`,
  );
  console.log('  ours B  bare B  extra B  ours n  bare n  constructor');
  for (const { name, ours: o, bare: b } of rows.slice(0, 20)) {
    console.log(
      `${o.size.toFixed(0).padStart(8)}${b.size.toFixed(0).padStart(8)}${(o.size - b.size).toFixed(0).padStart(9)}${o.count.toFixed(1).padStart(8)}${b.count.toFixed(1).padStart(8)}  ${name.slice(0, 60)}`,
    );
  }
} finally {
  await stopAll();
}

/** Self size and count per constructor that `count` waiting logins add, divided by `count`. */
async function perLogin(name, script, env, createPath, readyPath) {
  const subject = await startSubject({
    name,
    script,
    env: { BENCH_DIST: dist, ...env },
    readyPath,
  });
  try {
    const warm = await holdIdleSockets(
      subject.url,
      await createLogins(subject.url, createPath, 50, { headers: oneClient }),
      1,
    );
    await warm.close();
    const before = await snapshot(subject, 'before');
    const held = await holdIdleSockets(
      subject.url,
      await createLogins(subject.url, createPath, count, {
        headers: oneClient,
      }),
      Math.ceil(count / 5000),
    );
    await new Promise((done) => setTimeout(done, 1000));
    const after = await snapshot(subject, 'after');
    await held.close();
    const diff = new Map();
    for (const [constructor, { count: n, size }] of after) {
      const was = before.get(constructor) ?? { count: 0, size: 0 };
      diff.set(constructor, {
        count: (n - was.count) / count,
        size: (size - was.size) / count,
      });
    }
    return diff;
  } finally {
    await subject.stop();
  }
}

async function snapshot(subject, label) {
  const path = join(
    tmpdir(),
    `bench-${subject.name}-${process.pid}-${label}.heapsnapshot`,
  );
  await subject.heapSnapshot(path);
  try {
    const {
      snapshot: meta,
      nodes,
      strings,
    } = JSON.parse(readFileSync(path, 'utf8'));
    const fields = meta.meta.node_fields;
    const types = meta.meta.node_types[0];
    const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map(
      (field) => fields.indexOf(field),
    );
    const byConstructor = new Map();
    for (let i = 0; i < nodes.length; i += fields.length) {
      const type = types[nodes[i + typeAt]];
      const name =
        type === 'object' || type === 'closure'
          ? strings[nodes[i + nameAt]] || '(anonymous closure)'
          : `(${type})`;
      const entry = byConstructor.get(name) ?? { count: 0, size: 0 };
      entry.count++;
      entry.size += nodes[i + sizeAt];
      byConstructor.set(name, entry);
    }
    return byConstructor;
  } finally {
    rmSync(path, { force: true });
  }
}
