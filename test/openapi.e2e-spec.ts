import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { type RunningApp, startApp } from './support/app.js';
import { createLogin } from './support/http.js';

const WEBHOOK_SECRET = 'openapi-webhook-secret';

interface Header {
  description?: string;
  schema?: { type?: string };
}
interface Media {
  schema?: { $ref?: string };
  example?: unknown;
  examples?: Record<string, { summary?: string; value: unknown }>;
}
interface Response {
  description?: string;
  headers?: Record<string, Header>;
  content?: Record<string, Media>;
}
interface Operation {
  parameters?: {
    name: string;
    in: string;
    required?: boolean;
    description?: string;
  }[];
  responses: Record<string, Response>;
}
interface Schema {
  properties?: Record<
    string,
    { $ref?: string; allOf?: { $ref: string }[]; type?: string }
  >;
  required?: string[];
}
interface Document {
  info: { version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const packageVersion = (
  JSON.parse(
    readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
  ) as { version: string }
).version;

/** Every [path, method, status, response] of the document. */
function everyResponse(document: Document) {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).flatMap(([method, operation]) =>
      Object.entries(operation.responses).map(
        ([status, response]) => [path, method, status, response] as const,
      ),
    ),
  );
}

describe('the OpenAPI document at /docs-json', () => {
  let running: RunningApp;
  let document: Document;
  const json = (path: string, method: string, status: number) =>
    document.paths[path][method].responses[status].content?.[
      'application/json'
    ];

  beforeAll(async () => {
    running = await startApp({ WEBHOOK_SECRET });
    document = (await request(running.url).get('/docs-json').expect(200))
      .body as Document;
  });

  afterAll(() => running?.close());

  it("carries the package's version", () => {
    expect(document.info.version).toBe(packageVersion);
  });

  it('lists the login secret header of GET /auth/poll/{token} once, required and described', () => {
    const secretHeaders = (
      document.paths['/auth/poll/{token}'].get.parameters ?? []
    ).filter(
      (parameter) =>
        parameter.in === 'header' &&
        parameter.name.toLowerCase() === 'x-login-secret',
    );
    expect(secretHeaders).toHaveLength(1);
    expect(secretHeaders[0]).toMatchObject({
      required: true,
      description: expect.stringContaining('POST /auth/token'),
    });
  });

  it('gives every error answer of the API one body schema: statusCode, message and error', () => {
    expect(document.components.schemas.ErrorResponseDto).toMatchObject({
      properties: {
        statusCode: { type: 'number' },
        message: { type: 'string' },
        error: { type: 'string' },
      },
      required: ['statusCode', 'message'],
    });
    const errors = everyResponse(document).filter(
      ([path, , status]) =>
        Number(status) >= 400 && !path.startsWith('/health'),
    );
    expect(
      errors.map(([path, method, status]) => `${method} ${path} ${status}`),
    ).toEqual(
      expect.arrayContaining([
        'post /auth/token 429',
        'post /auth/token 503',
        'get /auth/poll/{token} 404',
        'get /auth/poll/{token} 429',
        'get /auth/poll/{token} 503',
        'get /auth/me 401',
        'get /auth/photos/{ticket} 404',
        'get /auth/photos/{ticket} 502',
        'get /auth/photos/{ticket} 504',
        'post /telegram/webhook 400',
        'post /telegram/webhook 401',
        'post /telegram/webhook 413',
        'post /telegram/webhook 503',
      ]),
    );
    for (const [path, method, status, response] of errors)
      expect([method, path, status, response.content]).toEqual([
        method,
        path,
        status,
        {
          'application/json': expect.objectContaining({
            schema: { $ref: '#/components/schemas/ErrorResponseDto' },
            example: expect.objectContaining({ statusCode: Number(status) }),
          }),
        },
      ]);
  });

  it('shows as error examples the bodies the routes really answer', async () => {
    const login = await createLogin(running.url);
    const answers = [
      [
        json('/auth/poll/{token}', 'get', 404),
        await request(running.url)
          .get(`/auth/poll/${login.token}`)
          .set('X-Login-Secret', 'wrong')
          .expect(404),
      ],
      [
        json('/auth/me', 'get', 401),
        await request(running.url).get('/auth/me').expect(401),
      ],
      [
        json('/auth/photos/{ticket}', 'get', 404),
        await request(running.url).get('/auth/photos/not-a-ticket').expect(404),
      ],
      [
        json('/telegram/webhook', 'post', 401),
        await request(running.url)
          .post('/telegram/webhook')
          .send({ update_id: 1 })
          .expect(401),
      ],
      // The body is read (and judged) only with the right secret.
      [
        json('/telegram/webhook', 'post', 400),
        await request(running.url)
          .post('/telegram/webhook')
          .set('X-Telegram-Bot-Api-Secret-Token', WEBHOOK_SECRET)
          .set('Content-Type', 'application/json')
          .send('{')
          .expect(400),
      ],
      [
        json('/telegram/webhook', 'post', 413),
        await request(running.url)
          .post('/telegram/webhook')
          .set('X-Telegram-Bot-Api-Secret-Token', WEBHOOK_SECRET)
          .send({ text: 'x'.repeat(300 * 1024) })
          .expect(413),
      ],
      [
        json('/telegram/webhook', 'post', 415),
        await request(running.url)
          .post('/telegram/webhook')
          .set('X-Telegram-Bot-Api-Secret-Token', WEBHOOK_SECRET)
          .set('Content-Type', 'application/json')
          .set('Content-Encoding', 'gzip')
          .send('{}')
          .expect(415),
      ],
    ] as const;
    for (const [documented, answer] of answers)
      expect(documented?.example).toEqual(answer.body);
  });

  it('lists the headers of every answer: X-Request-Id everywhere, no-store on /auth, Retry-After on a 429, the limits on limited answers', () => {
    for (const [path, method, status, response] of everyResponse(document)) {
      const names = Object.keys(response.headers ?? {});
      const where = `${method} ${path} ${status}`;
      expect([where, names]).toEqual([
        where,
        expect.arrayContaining(['X-Request-Id']),
      ]);
      if (path.startsWith('/auth/'))
        expect([where, response.headers?.['Cache-Control']]).toEqual([
          where,
          expect.objectContaining({
            description: expect.stringContaining('no-store'),
          }),
        ]);
      if (status === '429')
        expect([where, names]).toEqual([
          where,
          expect.arrayContaining(['Retry-After']),
        ]);
    }
    for (const [path, method, status] of [
      ['/auth/token', 'post', '201'],
      ['/auth/poll/{token}', 'get', '200'],
      ['/auth/poll/{token}', 'get', '404'],
    ] as const)
      expect(
        Object.keys(document.paths[path][method].responses[status].headers!),
      ).toEqual(
        expect.arrayContaining([
          'X-RateLimit-Limit',
          'X-RateLimit-Remaining',
          'X-RateLimit-Reset',
        ]),
      );
  });

  it('describes a profile photo as a JPEG, privately cached, its errors as JSON', () => {
    const photo = document.paths['/auth/photos/{ticket}'].get.responses['200'];
    expect(Object.keys(photo.content ?? {})).toEqual(['image/jpeg']);
    expect(photo.headers?.['Cache-Control']?.description).toMatch(
      /private, max-age/,
    );
  });

  it('describes the button presses the webhook takes (callback_query)', () => {
    const { schemas } = document.components;
    // A described property refers to its schema through allOf.
    const property = schemas.TelegramUpdateDto.properties?.callback_query;
    const ref = property?.$ref ?? property?.allOf?.[0]?.$ref;
    expect(ref).toBeDefined();
    const query = schemas[ref!.split('/').at(-1)!];
    expect(Object.keys(query.properties ?? {}).sort()).toEqual([
      'data',
      'from',
      'id',
      'message',
    ]);
    expect(query.required?.sort()).toEqual(['data', 'from', 'id']);
  });

  it('gives the poll one example per status, each with only the fields of that status', async () => {
    const examples = json('/auth/poll/{token}', 'get', 200)?.examples ?? {};
    const fields = Object.fromEntries(
      Object.entries(examples).map(([name, { value }]) => {
        const body = value as Record<string, unknown>;
        return [name, [body.status, ...Object.keys(body).sort()]];
      }),
    );
    expect(fields).toEqual({
      pending: ['pending', 'status'],
      scanned: ['scanned', 'firstName', 'photoUrl', 'status'],
      authenticated: [
        'authenticated',
        'accessToken',
        'photoUrl',
        'refreshToken',
        'status',
        'user',
      ],
      // A login of an OpenID Connect authorization: where to go on, no token.
      authenticatedInteraction: ['authenticated', 'continueTo', 'status'],
      denied: ['denied', 'status'],
      expired: ['expired', 'status'],
    });
    const login = await createLogin(running.url);
    const pending = await request(running.url)
      .get(`/auth/poll/${login.token}`)
      .set('X-Login-Secret', login.secret)
      .expect(200);
    expect(examples.pending.value).toEqual(pending.body);
  });

  it("documents the health answers with this service's checks (lifecycle, redis), not terminus's sample database", async () => {
    const health = JSON.stringify({
      live: document.paths['/health'],
      ready: document.paths['/health/ready'],
    });
    expect(health).not.toContain('database');
    const ready = json('/health/ready', 'get', 200)?.examples ?? {};
    const notReady = json('/health/ready', 'get', 503)?.examples ?? {};
    for (const examples of [ready, notReady])
      expect(JSON.stringify(examples)).toMatch(
        /"redis".*"lifecycle"|"lifecycle".*"redis"/,
      );
    // Those that can be seen without Redis are exactly what this app answers.
    expect(json('/health', 'get', 200)?.example).toEqual(
      (await request(running.url).get('/health').expect(200)).body,
    );
    expect(Object.values(ready).map(({ value }) => value)).toContainEqual(
      (await request(running.url).get('/health/ready').expect(200)).body,
    );
  });
});
