// Reads a V8 .cpuprofile (node --cpu-prof) and lists where the time went:
// self time per function, and the share spent in each package or in our code.
import { readFileSync } from 'node:fs';

export function summarizeProfile(path, { top = 15 } = {}) {
  const profile = JSON.parse(readFileSync(path, 'utf8'));
  const totalSamples = profile.samples?.length ?? 0;
  const hitsById = new Map();
  for (const id of profile.samples ?? [])
    hitsById.set(id, (hitsById.get(id) ?? 0) + 1);
  const byFunction = new Map();
  const byArea = new Map();
  for (const node of profile.nodes) {
    const hits = hitsById.get(node.id) ?? node.hitCount ?? 0;
    if (!hits) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = area(url, functionName);
    const key = `${functionName || '(anonymous)'} ${shorten(url)}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + hits);
    byArea.set(where, (byArea.get(where) ?? 0) + hits);
  }
  // Inclusive: a sample counts once for every package (or our code) anywhere on its stack.
  const parentOf = new Map();
  const nodeById = new Map(profile.nodes.map((node) => [node.id, node]));
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  const inclusive = new Map();
  for (const [id, hits] of hitsById) {
    const seen = new Set();
    for (let at = id; at !== undefined; at = parentOf.get(at)) {
      const { url, functionName } = nodeById.get(at).callFrame;
      if (url) seen.add(area(url, functionName));
    }
    for (const name of seen)
      inclusive.set(name, (inclusive.get(name) ?? 0) + hits);
  }
  const share = (hits) =>
    `${((100 * hits) / Math.max(1, totalSamples)).toFixed(1)}%`;
  const functions = [...byFunction]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, hits]) => `${share(hits).padStart(6)}  ${name}`);
  const areas = [...byArea]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([name, hits]) => `${share(hits).padStart(6)}  ${name}`);
  const within = [...inclusive]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([name, hits]) => `${share(hits).padStart(6)}  ${name}`);
  return { functions, areas, within };
}

function area(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native/V8)';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1];
  if (url.startsWith('node:')) return 'node core';
  if (/\/(dist|\.dist)\//.test(url)) return 'our code';
  return shorten(url);
}

function shorten(url) {
  return url
    .replace(/^file:\/\/.*?node_modules\//, '')
    .replace(/^file:\/\/.*?\/(dist|bench)\//, '$1/');
}
