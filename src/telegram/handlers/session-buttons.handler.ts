import { Composer } from 'grammy';
import type { Translate } from '../bot-i18n.js';
import { botMessages, buttonAnswers } from '../bot-messages.js';
import { parseSessionAction, type SessionAction } from '../callback-data.js';
import { type SessionsList, sessionsList } from '../sessions-list.js';
import { parseButtonPress } from '../telegram-input.js';
import type { UpdateOutcome } from '../update-outcome.js';
import type { BotContext, SessionHandlerDeps } from './bot-context.js';

/** The buttons under the list of sessions and under a new-login notice (see CallbackData). */
export const SESSION_BUTTONS = /^s[eap](?::|$)/;

/** What a press did: its outcome, the toast and the line the message starts with after it, and the page to show. */
interface PressResult {
  outcome: UpdateOutcome;
  /** Undefined for a page turn, whose toast names the page. */
  answer?: string;
  /** Undefined for a page turn: the list is all the message needs. */
  headline?: string;
  page: number;
  log: string;
}

/**
 * A press of End, End all or ◀/▶ acts for the person who pressed, on their
 * own sessions only: the toast says what it did, and the message is
 * replaced by what it did followed by the sessions that are left, as they
 * are now. A session that has ended already, or that is another person's
 * (callback data is the client's to forge), changes nothing, and the person
 * is told so, without learning which. Data this service did not make is
 * passed on, to be answered as an unknown button.
 */
export function sessionButtonsHandler(
  deps: SessionHandlerDeps,
): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.callbackQuery(SESSION_BUTTONS, async (ctx, next) => {
    const press = parseButtonPress(ctx.update);
    const action = press && parseSessionAction(press.data);
    if (!press || !action) return next();
    const result = await act(deps, press.user.id, action, ctx.t);
    ctx.handling.outcome = result.outcome;
    const list = sessionsList(
      await deps.sessions.list(press.user.id),
      result.page,
      ctx.t,
    );
    void deps.replies.answerCallbackQuery(
      press.queryId,
      result.answer ??
        buttonAnswers(ctx.t).sessionsPage(list.page + 1, list.pages),
    );
    if (press.message)
      void deps.replies.editMessageText(
        press.message.chatId,
        press.message.messageId,
        messageAfter(result, list, ctx.t),
        list.keyboard,
      );
    deps.log(`${result.log} from Telegram user ${press.user.id}`);
  });
  return composer;
}

async function act(
  deps: SessionHandlerDeps,
  userId: number,
  action: SessionAction,
  t: Translate,
): Promise<PressResult> {
  const say = botMessages(t);
  const answers = buttonAnswers(t);
  switch (action.kind) {
    case 'end-session': {
      const ended = await deps.sessions.endOwn(
        userId,
        action.sid,
        'ended-in-telegram',
      );
      return ended
        ? {
            outcome: 'session-ended',
            answer: answers.sessionEnded,
            headline: say.sessionEnded(ended),
            page: action.page,
            log: 'End of a session',
          }
        : {
            outcome: 'session-gone',
            answer: answers.sessionGone,
            headline: say.sessionGone,
            page: action.page,
            log: 'End of a session that is not going on (or not theirs)',
          };
    }
    case 'end-all-sessions': {
      const { length } = await deps.sessions.endAll(
        userId,
        'ended-in-telegram',
      );
      return {
        outcome: 'sessions-ended',
        answer: length
          ? answers.sessionsEnded(length)
          : answers.noSessionsToEnd,
        headline: length ? say.sessionsEnded(length) : say.noSessionsToEnd,
        page: 0,
        log: `End of all sessions (${length} ended)`,
      };
    }
    case 'sessions-page':
      return {
        outcome: 'sessions-paged',
        page: action.page,
        log: `Page ${action.page + 1} of the sessions`,
      };
  }
}

/** What the press did, then the sessions as they are now (the page pressed on, or the last one left). */
function messageAfter(
  result: PressResult,
  list: SessionsList,
  t: Translate,
): string {
  if (!result.headline) return list.text;
  const rest = list.count ? list.text : t('no-sessions-left');
  return `${result.headline}\n\n${rest}`;
}
