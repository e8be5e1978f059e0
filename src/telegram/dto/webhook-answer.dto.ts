import { ApiProperty } from '@nestjs/swagger';
import type { UpdateOutcome } from '../update-outcome.js';

export const UPDATE_OUTCOMES = [
  'authenticated',
  'scanned',
  'awaiting-confirmation',
  'refused',
  'denied',
  'wrong-code',
  'expired',
  'unknown',
  'wrong-user',
  'already-authenticated',
  'already-denied',
  'bare-start',
  'help',
  'sessions-listed',
  'sessions-paged',
  'session-ended',
  'sessions-ended',
  'session-gone',
  'duplicate',
  'ignored',
] as const satisfies readonly UpdateOutcome[];

// Fails to compile when an outcome is added to UpdateOutcome but not to the list the docs show.
const _everyOutcomeListed: Exclude<
  UpdateOutcome,
  (typeof UPDATE_OUTCOMES)[number]
> extends never
  ? true
  : never = true;

/**
 * The webhook's answer. Telegram reads a webhook answer only when it names a
 * Bot API `method`, so this body is for people and scripts (`npm run simulate`).
 */
export class WebhookAnswerDto {
  @ApiProperty({ enum: [true], example: true })
  ok!: true;

  @ApiProperty({
    enum: UPDATE_OUTCOMES,
    enumName: 'UpdateOutcome',
    example: 'scanned',
    description:
      'What the update amounted to: `authenticated` (logged in), `scanned` (waiting for Confirm in Telegram), `awaiting-confirmation` (a second `/start` from the person who scanned: asked again), `refused` (the login policy said no: denied), `denied` / `wrong-code` (a button denied it), `expired`, `unknown` (no such login waiting, or scanned by someone else), `wrong-user` / `already-authenticated` / `already-denied` (a press that changed nothing), `bare-start`, `help`, `sessions-listed` (`/sessions` answered), `sessions-paged` (◀/▶ under the list), `session-ended` / `sessions-ended` (End / End all ended sessions of the person who pressed), `session-gone` (End on a session that had ended already or is not theirs: nothing changed), `duplicate` (this update_id was handled already), `ignored` (not an update the service acts on)',
  })
  outcome!: UpdateOutcome;
}
