import { Composer } from 'grammy';
import { buttonAnswers } from '../bot-messages.js';
import { parseButtonPress } from '../telegram-input.js';
import type { BotContext, HandlerDeps } from './bot-context.js';

/**
 * The last handler of button presses: a button no other handler took (data
 * this service did not make, or made for a kind of button it no longer has)
 * changes nothing, but its spinner is stopped. The update stays 'ignored'.
 */
export function unknownButtonHandler(deps: HandlerDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on('callback_query', (ctx) => {
    const press = parseButtonPress(ctx.update);
    if (press)
      void deps.replies.answerCallbackQuery(
        press.queryId,
        buttonAnswers(ctx.t).unknown,
      );
  });
  return composer;
}
