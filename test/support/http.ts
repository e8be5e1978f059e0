import request from 'supertest';
import type { CreateTokenResponseDto } from '../../src/auth/dto/create-token-response.dto.js';
import { PATIENCE_MS } from './patience.js';

/** A `photoUrl` as the page gets it: our own route with a ticket (a JWT), nothing of Telegram's. */
export const PHOTO_URL = /^\/auth\/photos\/[\w-]+\.[\w-]+\.[\w-]+$/;

/** The body of `POST /auth/token`, as the service declares it. */
export type TokenResponse = CreateTokenResponseDto;

/** `POST /auth/token`, expecting 201. */
export async function createLogin(baseUrl: string): Promise<TokenResponse> {
  const response = await request(baseUrl).post('/auth/token').expect(201);
  return response.body as TokenResponse;
}

/** `POST /telegram/webhook` with an update, as Telegram would (with the secret header when given). */
export function postUpdate(
  baseUrl: string,
  update: unknown,
  webhookSecret?: string,
): request.Test {
  const call = request(baseUrl)
    .post('/telegram/webhook')
    .set('Content-Type', 'application/json');
  if (webhookSecret !== undefined)
    call.set('X-Telegram-Bot-Api-Secret-Token', webhookSecret);
  return call.send(JSON.stringify(update));
}

/** `GET /auth/poll/:token` with the browser's secret (omitted when undefined). */
export function poll(
  baseUrl: string,
  token: string,
  secret?: string,
): request.Test {
  const call = request(baseUrl).get(`/auth/poll/${encodeURIComponent(token)}`);
  if (secret !== undefined) call.set('X-Login-Secret', secret);
  return call;
}

/** `GET /auth/me` with a bearer token (no Authorization header when undefined). */
export function me(baseUrl: string, accessToken?: string): request.Test {
  const call = request(baseUrl).get('/auth/me');
  if (accessToken !== undefined)
    call.set('Authorization', `Bearer ${accessToken}`);
  return call;
}

/** Resolves after `ms`. */
export const delay = (ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retries `attempt` every `intervalMs` until it stops throwing, for at most `timeoutMs`; then its last error. */
export async function eventually<T>(
  attempt: () => Promise<T>,
  timeoutMs = PATIENCE_MS,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await delay(intervalMs);
    }
  }
}

/**
 * What a polling browser ends up with: polls until the answer is no longer `pending`. For a
 * moment after the webhook a push to the login's room (even an empty one) holds the result,
 * and a poll meanwhile hears `pending`; the page simply polls again. A push cut off by a crash
 * holds it until its hold lapses (RESULT_HOLD_MS): give such a poll that much longer.
 */
export function pollUntilSettled(
  baseUrl: string,
  token: string,
  secret: string,
  timeoutMs = PATIENCE_MS,
): Promise<request.Response> {
  return eventually(async () => {
    const response = await poll(baseUrl, token, secret).expect(200);
    expect((response.body as { status?: unknown }).status).not.toBe('pending');
    return response;
  }, timeoutMs);
}
