import type { DecisionOutcome, ScanOutcome } from '../auth/login.service.js';

/** What the handling of one update amounted to; for logs, metrics and tests. */
export type UpdateOutcome =
  | 'ignored'
  | 'duplicate'
  | 'bare-start'
  | 'help'
  | ScanOutcome['result']
  | DecisionOutcome
  | SessionsOutcome;

/** What `/sessions` and its buttons amounted to. */
export type SessionsOutcome =
  /** `/sessions` was answered with the list (empty or not). */
  | 'sessions-listed'
  /** ◀/▶: another page of the list. */
  | 'sessions-paged'
  /** End: the person's session ended. */
  | 'session-ended'
  /** End all: every session of the person's that went on ended (none, if none did). */
  | 'sessions-ended'
  /** End on a session that has ended already, or is another person's: nothing changed. */
  | 'session-gone';
