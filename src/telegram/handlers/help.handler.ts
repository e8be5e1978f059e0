import { Composer } from 'grammy';
import { botMessages } from '../bot-messages.js';
import { parseCommand } from '../telegram-input.js';
import type { BotContext, HandlerDeps } from './bot-context.js';

/** `/help` (or `/help@<our bot>`) is answered with what the bot is for and its commands, as a bare `/start` is. */
export function helpHandler(deps: HandlerDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on('message', (ctx, next) => {
    const command = parseCommand(ctx.update, 'help', deps.botUsername);
    if (!command) return next();
    void deps.replies.sendMessage(
      command.chatId,
      botMessages(ctx.t).help(deps.appName),
    );
    ctx.handling.outcome = 'help';
    deps.log(`/help from Telegram user ${command.user.id}`);
  });
  return composer;
}
