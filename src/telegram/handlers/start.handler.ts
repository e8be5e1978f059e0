import { Composer } from 'grammy';
import { LOGIN_TOKEN_PATTERN } from '../../auth/auth.constants.js';
import type { ScanOutcome } from '../../auth/login.service.js';
import { botMessages } from '../bot-messages.js';
import type { Translate } from '../bot-i18n.js';
import { confirmationRequest } from '../confirmation-request.js';
import { parseStartCommand, type StartCommand } from '../telegram-input.js';
import { type BotContext, type HandlerDeps, siteOf } from './bot-context.js';

/**
 * `/start <token>` (the QR code's deep link) scans the login; a bare `/start`
 * is answered with what the bot is for.
 *
 * Not grammY's `bot.command('start')`: that needs the `bot_command` entity and
 * a bot username, while an update is taken here on its text alone (as
 * {@link parseStartCommand} reads it: private chat, a person, `/start` with at
 * most one word after it) and, in demo mode (no username), `/start@<any name>`
 * is taken too. `/start@<another bot>` is ignored: a link or command for
 * another bot never scans one of our logins.
 */
export function startHandler(deps: HandlerDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on('message', async (ctx, next) => {
    const command = parseStartCommand(ctx.update, deps.botUsername);
    if (!command) return next();
    ctx.handling.outcome = await onStart(deps, command, ctx.handling, ctx.t);
    deps.log(
      `/start from Telegram user ${command.user.id}: ${ctx.handling.outcome}`,
    );
  });
  return composer;
}

async function onStart(
  deps: HandlerDeps,
  { chatId, user, payload, languageCode }: StartCommand,
  { receivedAt, updateId }: BotContext['handling'],
  t: Translate,
): Promise<ScanOutcome['result'] | 'bare-start'> {
  if (payload === '') {
    void deps.replies.sendMessage(
      chatId,
      botMessages(t).bareStart(deps.appName),
    );
    return 'bare-start';
  }
  const scan: ScanOutcome = LOGIN_TOKEN_PATTERN.test(payload)
    ? await deps.logins.scan(
        payload,
        user,
        chatId,
        receivedAt,
        updateId,
        languageCode,
      )
    : { result: 'unknown' };
  replyToScan(deps, chatId, scan, t);
  return scan.result;
}

function replyToScan(
  deps: HandlerDeps,
  chatId: number,
  scan: ScanOutcome,
  t: Translate,
) {
  const name = siteOf('login' in scan ? scan.login : undefined, deps.appName);
  const say = botMessages(t);
  switch (scan.result) {
    case 'scanned': {
      const request = confirmationRequest(scan.login, name, t);
      // Retried as long as the login can still be confirmed, no longer.
      void deps.replies.sendMessage(
        chatId,
        request.text,
        request.keyboard,
        scan.login.expiresAt,
      );
      return;
    }
    case 'awaiting-confirmation': {
      // The whole question again, buttons included, rather than a pointer to the first message: the
      // service keeps no message id to point at, the person may have deleted that message or scrolled
      // far past it, and one message (not a pointer plus a copy) waits for no second slot of the
      // chat's rate limit. Browser, IP and time come along so the answer is as informed as the first
      // time. The first message's buttons keep working; whichever is pressed first decides.
      const request = confirmationRequest(scan.login, name, t);
      void deps.replies.sendMessage(
        chatId,
        `${say.awaitingConfirmation(name)}\n\n${request.text}`,
        request.keyboard,
        scan.login.expiresAt,
      );
      return;
    }
    case 'refused':
      void deps.replies.sendMessage(chatId, say.refused(name, scan.reason));
      return;
    default: {
      const reply = {
        authenticated: say.loggedIn,
        expired: say.expired,
        unknown: say.unknown,
      }[scan.result];
      void deps.replies.sendMessage(chatId, reply(name));
    }
  }
}
