import { LOGIN_TOKEN_PATTERN } from '../auth/auth.constants.js';

/** What a button under the confirmation message asks for. */
export type LoginAction =
  | { kind: 'confirm'; token: string }
  | { kind: 'deny'; token: string }
  | { kind: 'pick'; token: string; code: string };

/**
 * What a button under the list of sessions (or a new-login notice) asks for.
 * `page` is the list's page the button was on (from 0), shown again after it.
 */
export type SessionAction =
  | { kind: 'end-session'; sid: string; page: number }
  | { kind: 'end-all-sessions' }
  | { kind: 'sessions-page'; page: number };

/** The highest page number a button may carry: far more sessions than anyone has, and still short. */
export const MAX_SESSIONS_PAGE = 999;

/**
 * Telegram limits callback_data to 64 bytes; the longest form here,
 * `pick:NN:<43-character token>`, takes 51. The sessions' buttons are short
 * (`se:<22-character sid>:<page>`, 29 at most) since an old message's
 * buttons are all a person has of it: the sid is the session's only name.
 */
export const CallbackData = {
  confirm: (token: string) => `confirm:${token}`,
  deny: (token: string) => `deny:${token}`,
  pick: (token: string, code: string) => `pick:${code}:${token}`,
  endSession: (sid: string, page = 0) => `se:${sid}:${page}`,
  endAllSessions: () => 'sa',
  sessionsPage: (page: number) => `sp:${page}`,
} as const;

const ACTION =
  /^(?:(confirm|deny):([A-Za-z0-9_-]+)|pick:(\d{2}):([A-Za-z0-9_-]+))$/;

/** Page numbers as {@link CallbackData} writes them: no sign, no leading zero, at most {@link MAX_SESSIONS_PAGE}. */
const PAGE = '(0|[1-9]\\d{0,2})';
const SESSION_ACTION = new RegExp(
  `^(?:se:([A-Za-z0-9_-]{22}):${PAGE}|(sa)|sp:${PAGE})$`,
);

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

/** Undefined for anything that is not one of the sessions' buttons as {@link CallbackData} makes them. */
export function parseSessionAction(data: string): SessionAction | undefined {
  const match = SESSION_ACTION.exec(data);
  if (!match) return undefined;
  const [, sid, endPage, endAll, page] = match;
  if (sid !== undefined)
    return { kind: 'end-session', sid, page: Number(endPage) };
  if (endAll !== undefined) return { kind: 'end-all-sessions' };
  return { kind: 'sessions-page', page: Number(page) };
}
