import { Bot, BotError, type Transformer } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type {
  BotContext,
  HandlerDeps,
  UpdateHandling,
} from './handlers/bot-context.js';
import { confirmationButtonsHandler } from './handlers/confirmation-buttons.handler.js';
import { helpHandler } from './handlers/help.handler.js';
import { sessionButtonsHandler } from './handlers/session-buttons.handler.js';
import { sessionsHandler } from './handlers/sessions.handler.js';
import { startHandler } from './handlers/start.handler.js';
import { unknownButtonHandler } from './handlers/unknown-button.handler.js';

/** The token of the Bot in demo mode (no BOT_TOKEN): it never reaches Telegram, see {@link noDirectCalls}. */
const DEMO_TOKEN = 'demo-mode';

/**
 * The bot's update handling as grammY middleware: one handler per command or
 * button family, in the order they are tried. TelegramUpdateService feeds it
 * with {@link handleUpdate}, inside its update dedupe.
 *
 * The Bot knows its own `botInfo` (from BOT_USERNAME and the token's bot id),
 * so it never calls getMe: startup does not depend on Telegram. It never calls
 * the Bot API either ({@link noDirectCalls}): the handlers reply through
 * BotClientService, whose calls are throttled, bounded by a deadline, retried,
 * logged with the token redacted, cut off at shutdown, and only logged in demo mode.
 */
export class TelegramBot {
  private readonly bot: Bot<BotContext>;
  // Per call, so that two handlings of the same update object never share their state.
  private readonly handlings = new WeakMap<object, UpdateHandling>();

  constructor(deps: HandlerDeps, botToken: string | undefined) {
    this.bot = new Bot<BotContext>(botToken || DEMO_TOKEN, {
      botInfo: botInfoOf(botToken, deps.botUsername),
    });
    this.bot.api.config.use(noDirectCalls);
    this.bot.use((ctx, next) => {
      ctx.handling = this.handlings.get(ctx.update)!;
      return next();
    });
    // ctx.t speaks the language of the update's sender (`from.language_code`), else English.
    this.bot.use(deps.i18n.middleware());
    this.bot.use(startHandler(deps));
    this.bot.use(helpHandler(deps));
    this.bot.use(confirmationButtonsHandler(deps));
    const { sessions } = deps;
    if (sessions) {
      this.bot.use(sessionsHandler({ ...deps, sessions }));
      this.bot.use(sessionButtonsHandler({ ...deps, sessions }));
    }
    this.bot.use(unknownButtonHandler(deps));
  }

  /**
   * Runs the handlers on one update (of any shape: a body that is not an
   * object is ignored). Resolves to what it amounted to; rejects with what a
   * handler threw (not grammY's BotError around it).
   */
  async handleUpdate(
    update: unknown,
    receivedAt: number,
    updateId: number | undefined,
  ): Promise<UpdateHandling['outcome']> {
    if (typeof update !== 'object' || update === null || Array.isArray(update))
      return 'ignored';
    const copy = { ...update } as Parameters<Bot['handleUpdate']>[0];
    const handling: UpdateHandling = {
      receivedAt,
      updateId,
      outcome: 'ignored',
    };
    this.handlings.set(copy, handling);
    try {
      await this.bot.handleUpdate(copy);
    } catch (error) {
      throw error instanceof BotError ? error.error : error;
    }
    return handling.outcome;
  }
}

/** Bot ids are the token's first part (`<id>:<secret>`); 0 in demo mode. */
function botInfoOf(
  botToken: string | undefined,
  username: string | undefined,
): UserFromGetMe {
  const id = Number(botToken?.split(':')[0]);
  return {
    id: Number.isSafeInteger(id) ? id : 0,
    is_bot: true,
    first_name: username ?? 'Telegram QR Auth',
    username: username ?? '',
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  };
}

/** `ctx.api` / `ctx.reply` would bypass BotClientService's throttling, deadlines and retries. */
export const noDirectCalls: Transformer = (_prev, method) =>
  Promise.reject(
    new Error(
      `Bot API call ${method} through ctx.api: replies go through BotClientService`,
    ),
  );
