import { decodeJwt } from 'jose';
import request from 'supertest';
import { pollUntilSettled, postUpdate } from './http.js';
import { newUser, startUpdate, type TestUser } from './telegram-updates.js';

/** What a browser holds after a completed login. */
export interface LoggedIn {
  accessToken: string;
  refreshToken: string;
  sid: string;
  user: TestUser;
}

/**
 * A whole login (LOGIN_CONFIRMATION off) from a browser with this
 * User-Agent: the token, the scan through the webhook, the poll's result.
 */
export async function logIn(
  baseUrl: string,
  {
    user = newUser(),
    userAgent,
    webhookSecret,
  }: { user?: TestUser; userAgent?: string; webhookSecret?: string } = {},
): Promise<LoggedIn> {
  const call = request(baseUrl).post('/auth/token');
  if (userAgent) call.set('User-Agent', userAgent);
  const login = (await call.expect(201)).body as {
    token: string;
    secret: string;
  };
  await postUpdate(
    baseUrl,
    startUpdate(login.token, user),
    webhookSecret,
  ).expect(200);
  const { body } = await pollUntilSettled(baseUrl, login.token, login.secret);
  if (body.status !== 'authenticated')
    throw new Error(`login ended ${JSON.stringify(body)}`);
  return {
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
    sid: decodeJwt(body.accessToken).sid as string,
    user,
  };
}

/** `POST /auth/refresh` with a JSON body. */
export function refresh(baseUrl: string, refreshToken: unknown): request.Test {
  return request(baseUrl)
    .post('/auth/refresh')
    .set('Content-Type', 'application/json')
    .send(JSON.stringify({ refreshToken }));
}

/** A request with `Authorization: Bearer <accessToken>`. */
export function withBearer(
  call: request.Test,
  accessToken: string,
): request.Test {
  return call.set('Authorization', `Bearer ${accessToken}`);
}
