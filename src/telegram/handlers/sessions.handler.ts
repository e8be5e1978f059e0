import { Composer } from 'grammy';
import { sessionsList } from '../sessions-list.js';
import { parseCommand } from '../telegram-input.js';
import type { BotContext, SessionHandlerDeps } from './bot-context.js';

/**
 * `/sessions` (or `/sessions@<our bot>`) lists the person's sessions, newest
 * first, a page at a time, with a button to end each or all of them (see
 * sessionButtonsHandler). As with `/start`, a command for another bot is
 * not ours to answer.
 */
export function sessionsHandler(
  deps: SessionHandlerDeps,
): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on('message', async (ctx, next) => {
    const command = parseCommand(ctx.update, 'sessions', deps.botUsername);
    if (!command) return next();
    const sessions = await deps.sessions.list(command.user.id);
    const list = sessionsList(sessions, 0, ctx.t);
    void deps.replies.sendMessage(command.chatId, list.text, list.keyboard);
    ctx.handling.outcome = 'sessions-listed';
    deps.log(
      `/sessions from Telegram user ${command.user.id}: ${sessions.length} listed`,
    );
  });
  return composer;
}
