import { Composer } from 'grammy';
import type { Decision, DecisionOutcome } from '../../auth/login.service.js';
import {
  type BotMessageTexts,
  botMessages,
  buttonAnswers,
} from '../bot-messages.js';
import type { Translate } from '../bot-i18n.js';
import { type LoginAction, parseCallbackData } from '../callback-data.js';
import { parseButtonPress } from '../telegram-input.js';
import { type BotContext, type HandlerDeps, siteOf } from './bot-context.js';

/** The buttons under a confirmation request (see CallbackData): Confirm, Deny and the numbers to pick from. */
export const CONFIRMATION_BUTTONS = /^(?:confirm|deny|pick):/;

/** The toast for each outcome of a press. */
function answerTo(outcome: DecisionOutcome, t: Translate): string {
  const answers = buttonAnswers(t);
  return {
    authenticated: answers.confirmed,
    denied: answers.denied,
    'wrong-code': answers.wrongCode,
    expired: answers.expired,
    unknown: answers.unknown,
    'wrong-user': answers.wrongUser,
    'already-authenticated': answers.alreadyAuthenticated,
    'already-denied': answers.alreadyDenied,
  }[outcome];
}

/**
 * A press of Confirm, Deny or a number is the decision of the person who
 * pressed: the toast says what it did, and the question is replaced by its
 * answer once it has one. Data this service did not make (a malformed token,
 * say) is passed on, to be answered as an unknown button.
 */
export function confirmationButtonsHandler(
  deps: HandlerDeps,
): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.callbackQuery(CONFIRMATION_BUTTONS, async (ctx, next) => {
    const press = parseButtonPress(ctx.update);
    const action = press && parseCallbackData(press.data);
    if (!press || !action) return next();
    const { receivedAt, updateId } = ctx.handling;
    const { outcome, login } = await deps.logins.decideFor(
      action.token,
      press.user,
      decisionOf(action),
      receivedAt,
      updateId,
      press.languageCode,
    );
    ctx.handling.outcome = outcome;
    void deps.replies.answerCallbackQuery(
      press.queryId,
      answerTo(outcome, ctx.t),
    );
    const finalText = finalMessage(
      outcome,
      siteOf(login, deps.appName),
      botMessages(ctx.t),
    );
    if (finalText && press.message)
      void deps.replies.editMessageText(
        press.message.chatId,
        press.message.messageId,
        finalText,
      );
    deps.log(`${action.kind} from Telegram user ${press.user.id}: ${outcome}`);
  });
  return composer;
}

function decisionOf(action: LoginAction): Decision {
  switch (action.kind) {
    case 'confirm':
      return { confirm: true };
    case 'pick':
      return { confirm: true, pickedCode: action.code };
    case 'deny':
      return { confirm: false };
  }
}

/** The confirmation message is replaced (and its buttons removed) once its question has an answer. */
function finalMessage(
  outcome: DecisionOutcome,
  name: string,
  say: BotMessageTexts,
): string | undefined {
  switch (outcome) {
    case 'authenticated':
      return say.loggedIn(name);
    case 'denied':
      return say.denied(name);
    case 'wrong-code':
      return say.wrongCode(name);
    case 'expired':
      return say.expired(name);
    default:
      // Presses that change nothing leave the message as it is; the toast says why.
      return undefined;
  }
}
