import type { DecisionOutcome, ScanOutcome } from '../auth/login.service.js';

/** What the handling of one update amounted to; for logs, metrics and tests. */
export type UpdateOutcome =
  | 'ignored'
  | 'duplicate'
  | 'bare-start'
  | ScanOutcome['result']
  | DecisionOutcome;
