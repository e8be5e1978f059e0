import { describe, expect, it } from '@jest/globals';
import { generateLoginToken } from '../auth/login-secrets.js';
import { generateSessionId } from '../sessions/refresh-tokens.js';
import {
  CallbackData,
  MAX_SESSIONS_PAGE,
  parseCallbackData,
  parseSessionAction,
} from './callback-data.js';

describe('callback data', () => {
  const token = generateLoginToken();

  it('round-trips every button within Telegram’s 64 bytes', () => {
    for (const [data, action] of [
      [CallbackData.confirm(token), { kind: 'confirm', token }],
      [CallbackData.deny(token), { kind: 'deny', token }],
      [CallbackData.pick(token, '47'), { kind: 'pick', token, code: '47' }],
    ] as const) {
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
      expect(parseCallbackData(data)).toEqual(action);
    }
  });

  it.each([
    '',
    'confirm:',
    `confirm:${token}x`,
    `approve:${token}`,
    `pick:7:${token}`,
    `pick:477:${token}`,
    `deny:${token.slice(1)}`,
    `confirm:${token}:extra`,
  ])('rejects %p', (data) => {
    expect(parseCallbackData(data)).toBeUndefined();
  });
});

describe('callback data of the sessions’ buttons', () => {
  const sid = generateSessionId();

  it('round-trips every button within Telegram’s 64 bytes', () => {
    for (const [data, action] of [
      [CallbackData.endSession(sid, 0), { kind: 'end-session', sid, page: 0 }],
      [
        CallbackData.endSession(sid, MAX_SESSIONS_PAGE),
        { kind: 'end-session', sid, page: MAX_SESSIONS_PAGE },
      ],
      [CallbackData.endAllSessions(), { kind: 'end-all-sessions' }],
      [CallbackData.sessionsPage(3), { kind: 'sessions-page', page: 3 }],
    ] as const) {
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
      expect(parseSessionAction(data)).toEqual(action);
    }
  });

  it('is not taken for a login’s button, nor a login’s for a session’s', () => {
    expect(parseCallbackData(CallbackData.endSession(sid))).toBeUndefined();
    expect(
      parseSessionAction(CallbackData.confirm(generateLoginToken())),
    ).toBeUndefined();
  });

  it.each([
    '',
    'se:',
    `se:${sid}`,
    `se:${sid}:`,
    `se:${sid.slice(1)}:0`,
    `se:${sid}x:0`,
    `se:${sid.slice(0, 21)}+:0`,
    `se:${sid}:01`,
    `se:${sid}:-1`,
    `se:${sid}:1000`,
    `se:${sid}:0:extra`,
    'sa:',
    'sa:0',
    'sall',
    'sp:',
    'sp:x',
    'sp:007',
    'sp:1.5',
    `sp:${MAX_SESSIONS_PAGE + 1}`,
    `SE:${sid}:0`,
  ])('rejects %p', (data) => {
    expect(parseSessionAction(data)).toBeUndefined();
  });
});
