// A small keep-alive JSON client for the bench's own requests (setup, fixed-rate senders).
import { Agent, request } from 'node:http';
import { nextClientIp } from './updates.mjs';

export function createAgent(maxSockets = 64) {
  return new Agent({ keepAlive: true, maxSockets });
}

/** POSTs JSON; resolves { status, body } (body parsed when it is JSON). */
export function postJson(url, body, { agent, headers = {} } = {}) {
  const payload = body === undefined ? '' : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          'x-forwarded-for': nextClientIp(),
          ...headers,
        },
      },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: response.statusCode, body: parsed });
        });
        response.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` at a time; returns the results in order. */
export async function mapConcurrent(count, concurrency, task) {
  const results = new Array(count);
  let next = 0;
  async function worker() {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  }
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, worker),
  );
  return results;
}

/**
 * Creates `count` logins with POST /auth/token (or the baseline's /token) and
 * returns [{ token, secret }]. Fails on any answer but 201: the bench must not
 * measure on top of errors it did not notice.
 */
export async function createLogins(
  baseUrl,
  path,
  count,
  { concurrency = 16, headers } = {},
) {
  const agent = createAgent(concurrency);
  try {
    return await mapConcurrent(count, concurrency, async () => {
      const { status, body } = await postJson(`${baseUrl}${path}`, undefined, {
        agent,
        headers,
      });
      if (status !== 201)
        throw new Error(
          `POST ${path} answered ${status}: ${JSON.stringify(body).slice(0, 200)}`,
        );
      return { token: body.token, secret: body.secret };
    });
  } finally {
    agent.destroy();
  }
}
