// An OpenID Connect login as a browser and a site's backend go through it,
// over plain HTTP (no browser): the requests the login page and the relying
// party make, timed from the Telegram webhook to the browser's arrival at the
// client's redirect URI.
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAgent, mapConcurrent, postJson } from './http.mjs';
import { openWaitingSocket } from './sockets.mjs';
import { percentile } from './stats.mjs';
import { nextClientIp, startUpdate } from './updates.mjs';

/** The bench's relying party. Its redirect URI is never requested: the bench reads the redirect. */
export const BENCH_CLIENT = {
  client_id: 'bench-site',
  client_secret: `bench-${randomBytes(24).toString('base64url')}`,
  client_name: 'Bench Site',
  redirect_uris: ['http://127.0.0.1:9/callback'],
  grant_types: ['authorization_code'],
};

/** One HTTP request, redirects not followed; resolves { status, headers, text }. */
function send(url, { method = 'GET', headers = {}, body, agent } = {}) {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        agent,
        headers: {
          'x-forwarded-for': nextClientIp(),
          ...(body !== undefined && {
            'content-length': Buffer.byteLength(body),
          }),
          ...headers,
        },
      },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode,
            headers: response.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A browser's cookies by name (paths ignored: each is sent where it belongs anyway). */
class CookieJar {
  cookies = new Map();

  store(response) {
    for (const line of response.headers['set-cookie'] ?? []) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(at + 1));
    }
    return response;
  }

  get header() {
    return [...this.cookies].map(([n, v]) => `${n}=${v}`).join('; ');
  }
}

function expectStatus(response, status, what) {
  if (response.status !== status)
    throw new Error(
      `${what} answered ${response.status}: ${response.text.slice(0, 160)}`,
    );
  return response;
}

/**
 * `count` OIDC logins against `baseUrl` (whose issuer it is), `concurrency` at
 * a time, each: authorize → interaction page → its token → socket waits →
 * `/start` webhook → `authenticated` with `continueTo` on the socket → form
 * POST complete → resume → 303 to the redirect URI with the code → code
 * exchange at the token endpoint. Resolves the rate of finished logins, the
 * webhook → redirect URI latencies, and what was lost or delivered twice.
 */
export async function runOidcLogins(ctx, baseUrl, { count, concurrency = 32 }) {
  const client = BENCH_CLIENT;
  const basic = `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`;
  const redirectUri = client.redirect_uris[0];
  const agent = createAgent(concurrency * 2);
  const latencies = [];
  const deliveries = new Uint32Array(count);
  const tokens = new Array(count);
  const closing = [];
  let finished = 0;
  let errors = 0;
  let firstError;
  const start = performance.now();
  let lastFinish = start;

  await mapConcurrent(count, concurrency, async (i) => {
    let socket;
    try {
      const jar = new CookieJar();
      const verifier = randomBytes(32).toString('base64url');
      const state = randomBytes(16).toString('base64url');
      const authorize = new URL('/authorize', baseUrl);
      authorize.search = new URLSearchParams({
        client_id: client.client_id,
        response_type: 'code',
        redirect_uri: redirectUri,
        scope: 'openid profile',
        code_challenge: createHash('sha256')
          .update(verifier)
          .digest('base64url'),
        code_challenge_method: 'S256',
        state,
        nonce: randomBytes(16).toString('base64url'),
      }).toString();
      const started = jar.store(
        expectStatus(await send(authorize, { agent }), 303, 'authorize'),
      );
      const interaction = new URL(started.headers.location, baseUrl);
      const browser = () => ({ cookie: jar.header, accept: 'text/html' });
      jar.store(
        expectStatus(
          await send(interaction, { agent, headers: browser() }),
          200,
          'the interaction page',
        ),
      );
      const ticket = JSON.parse(
        expectStatus(
          await send(`${interaction.href}/token`, {
            method: 'POST',
            agent,
            headers: browser(),
          }),
          201,
          'the interaction token',
        ).text,
      );
      tokens[i] = ticket;

      let learned;
      const onward = new Promise((resolve) => (learned = resolve));
      socket = await openWaitingSocket(
        baseUrl,
        { token: ticket.token, secret: ticket.secret },
        (event) => {
          if (event?.status !== 'authenticated') return;
          if (deliveries[i]++ === 0) learned(event.continueTo);
        },
      );
      const webhookAt = performance.now();
      const answer = await postJson(
        `${baseUrl}/telegram/webhook`,
        startUpdate(ticket.token),
        { agent },
      );
      if (answer.status !== 200)
        throw new Error(`webhook answered ${answer.status}`);
      const continueTo = await Promise.race([
        onward,
        sleep(ctx.deliveryTimeoutMs).then(() => undefined),
      ]);
      if (typeof continueTo !== 'string')
        throw new Error('no continueTo on the socket in time');

      const completed = jar.store(
        expectStatus(
          await send(new URL(continueTo, baseUrl), {
            method: 'POST',
            agent,
            headers: {
              ...browser(),
              'content-type': 'application/x-www-form-urlencoded',
            },
            body: new URLSearchParams({
              token: ticket.token,
              secret: ticket.secret,
            }).toString(),
          }),
          303,
          'complete',
        ),
      );
      const resumed = jar.store(
        expectStatus(
          await send(new URL(completed.headers.location, baseUrl), {
            agent,
            headers: browser(),
          }),
          303,
          'resume',
        ),
      );
      const callback = new URL(resumed.headers.location);
      const arrivedAt = performance.now();
      if (
        `${callback.origin}${callback.pathname}` !== redirectUri ||
        callback.searchParams.get('state') !== state ||
        !callback.searchParams.get('code')
      )
        throw new Error(`not back at the client: ${resumed.headers.location}`);

      const exchanged = expectStatus(
        await send(new URL('/token', baseUrl), {
          method: 'POST',
          agent,
          headers: {
            authorization: basic,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            code: callback.searchParams.get('code'),
            redirect_uri: redirectUri,
            code_verifier: verifier,
          }).toString(),
        }),
        200,
        'the code exchange',
      );
      const grant = JSON.parse(exchanged.text);
      if (!grant.id_token || !grant.access_token)
        throw new Error('the token endpoint gave no ID or access token');
      latencies.push(arrivedAt - webhookAt);
      finished++;
      lastFinish = performance.now();
    } catch (error) {
      errors++;
      firstError ??= error.message;
    } finally {
      // Listening a little longer: a second `authenticated` would be counted.
      if (socket)
        closing.push(sleep(ctx.settleMs / 2).then(() => socket.close()));
    }
  });
  const seconds = (lastFinish - start) / 1000;
  await Promise.all(closing);

  // Every login's result was taken once, by its complete: none is left to poll.
  const created = tokens.filter(Boolean);
  const stillPollable = (
    await mapConcurrent(created.length, 16, async (i) => {
      const { token, secret } = created[i];
      const response = await send(`${baseUrl}/auth/poll/${token}`, {
        agent,
        headers: { 'x-login-secret': secret },
      });
      return response.status !== 404;
    })
  ).filter(Boolean).length;
  agent.destroy();
  return {
    perSecond: finished / seconds,
    finished,
    lost: count - finished,
    duplicates: deliveries.reduce((sum, n) => sum + Math.max(0, n - 1), 0),
    stillPollable,
    errors,
    firstError,
    concurrency,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: percentile(latencies, 100),
  };
}
