import type { I18nFlavor } from '@grammyjs/i18n';
import type { Context } from 'grammy';
import type { Login } from '../../auth/interfaces/index.js';
import type { LoginService } from '../../auth/login.service.js';
import type { SessionService } from '../../sessions/session.service.js';
import type { BotClientService } from '../bot-client.service.js';
import type { BotI18n } from '../bot-i18n.js';
import type { UpdateOutcome } from '../update-outcome.js';

/** What TelegramUpdateService hands the handlers of one update, and what they hand back. */
export interface UpdateHandling {
  /** Epoch ms: the time the login changes are stamped with, so that push latency is measured from it. */
  readonly receivedAt: number;
  /** Lets a copy of an update whose change was applied, though its handling failed, finish it. */
  readonly updateId: number | undefined;
  /** Set by the handler that acted on the update; 'ignored' when none did. */
  outcome: UpdateOutcome;
}

/**
 * grammY's context with our per-update state, and `ctx.t`: the catalogue's
 * messages in the language of the person's Telegram (see botLocaleOf).
 */
export type BotContext = Context & I18nFlavor & { handling: UpdateHandling };

/**
 * What the handlers work with. Replies go through {@link BotClientService}
 * (throttled, bounded, retried, fire and forget), never through `ctx.api`.
 */
export interface HandlerDeps {
  logins: Pick<LoginService, 'scan' | 'decideFor'>;
  replies: Pick<
    BotClientService,
    'sendMessage' | 'editMessageText' | 'answerCallbackQuery'
  >;
  /**
   * The person's sessions, for `/sessions` and its buttons. Without it (a bot
   * made for the login handlers alone) `/sessions` is not answered and its
   * buttons are unknown ones.
   */
  sessions?: Pick<SessionService, 'list' | 'endOwn' | 'endAll'>;
  /** The bot's catalogues, the host's messages included: `ctx.t` in the handlers. */
  i18n: BotI18n;
  /** APP_NAME: the site named when no OpenID client asked for the login. */
  appName: string;
  /** Our bot's username; undefined in demo mode. */
  botUsername: string | undefined;
  log: (message: string) => void;
}

/** The dependencies of the handlers of `/sessions` and its buttons. */
export type SessionHandlerDeps = HandlerDeps &
  Required<Pick<HandlerDeps, 'sessions'>>;

/**
 * The site the bot names: the OpenID client that asked for the login (its
 * `client_name`), else this service's APP_NAME. Shortened where it is put in a message.
 */
export function siteOf(login: Login | undefined, appName: string): string {
  return login?.oidc?.clientName || appName;
}
