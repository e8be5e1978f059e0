import { LOGIN_TOKEN_PATTERN } from '../auth/auth.constants.js';

/** What a button under the confirmation message asks for. */
export type LoginAction =
  | { kind: 'confirm'; token: string }
  | { kind: 'deny'; token: string }
  | { kind: 'pick'; token: string; code: string };

/**
 * Telegram limits callback_data to 64 bytes; the longest form here,
 * `pick:NN:<43-character token>`, takes 51.
 */
export const CallbackData = {
  confirm: (token: string) => `confirm:${token}`,
  deny: (token: string) => `deny:${token}`,
  pick: (token: string, code: string) => `pick:${code}:${token}`,
} as const;

const ACTION =
  /^(?:(confirm|deny):([A-Za-z0-9_-]+)|pick:(\d{2}):([A-Za-z0-9_-]+))$/;

/** Undefined for anything this service did not put on a button. */
export function parseCallbackData(data: string): LoginAction | undefined {
  const match = ACTION.exec(data);
  if (!match) return undefined;
  const [, kind, token, code, pickedToken] = match;
  if (code !== undefined)
    return LOGIN_TOKEN_PATTERN.test(pickedToken)
      ? { kind: 'pick', token: pickedToken, code }
      : undefined;
  if (!LOGIN_TOKEN_PATTERN.test(token)) return undefined;
  return { kind: kind as 'confirm' | 'deny', token: token };
}
