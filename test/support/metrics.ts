import { expect } from '@jest/globals';
import request from 'supertest';

/** The samples of a Prometheus text exposition, keyed like `name{label="value"}` (labels in the order exposed). */
export async function scrape(baseUrl: string): Promise<Map<string, number>> {
  const response = await request(baseUrl).get('/metrics').expect(200);
  expect(response.headers['content-type']).toBe(
    'text/plain; version=0.0.4; charset=utf-8',
  );
  const samples = new Map<string, number>();
  for (const line of response.text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(\S+) (\S+)$/.exec(line);
    if (!match) throw new Error(`not a Prometheus sample: ${line}`);
    samples.set(match[1], Number(match[2]));
  }
  return samples;
}

/** How much each sample moved between two scrapes (a sample that appeared counts from 0). */
export function moved(
  before: Map<string, number>,
  after: Map<string, number>,
  ...names: string[]
): Record<string, number> {
  return Object.fromEntries(
    names.map((name) => [
      name,
      (after.get(name) ?? 0) - (before.get(name) ?? 0),
    ]),
  );
}
