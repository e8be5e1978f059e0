import { describe, expect, it } from '@jest/globals';
import { generateLoginToken } from '../auth/login-secrets.js';
import { CallbackData, parseCallbackData } from './callback-data.js';

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
