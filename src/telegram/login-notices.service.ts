import {
  Inject,
  Injectable,
  Logger,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import type { Subscription } from 'rxjs';
import type { SessionInfo } from '../sessions/interfaces/index.js';
import { SessionEventsService } from '../sessions/session-events.service.js';
import { BotClientService } from './bot-client.service.js';
import { type BotI18n, botLocaleOf, translatorFor } from './bot-i18n.js';
import { botMessages } from './bot-messages.js';
import { BOT_I18N } from './telegram.constants.js';
import { newLoginKeyboard } from './sessions-list.js';
import { AUTH_SETTINGS } from '../telegram-qr-auth.constants.js';
import type { AuthSettings } from '../interfaces/settings.interface.js';

/**
 * With LOGIN_CONFIRMATION=off a scan logs in at once, so a QR code shown to
 * someone by an attacker logs the attacker in: each new session is told to
 * its person in the chat (a private chat, whose id is the user's), with the
 * site, browser and IP, and an End button that logs that browser out at
 * once. With confirmation on they have just seen all of that and said yes.
 *
 * `created` fires on the instance where the login completed, so each login
 * is told once. Fired and forgotten: the login never waits for Telegram.
 */
@Injectable()
export class LoginNoticesService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(LoginNoticesService.name);
  private subscription?: Subscription;

  constructor(
    private readonly events: SessionEventsService,
    private readonly replies: BotClientService,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
    @Inject(BOT_I18N) private readonly i18n: BotI18n,
  ) {}

  onModuleInit(): void {
    if (this.settings.confirmation !== 'off') return;
    // Out of the publisher's call (the login's), and after the reply to the /start that logged in,
    // which the handler sends once the login service returns: the chat reads "logged in", then the notice.
    this.subscription = this.events.created.subscribe((session) =>
      setImmediate(() => this.notify(session)),
    );
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  private notify(session: SessionInfo): void {
    // Thrown in a timer, an error would stop the process.
    try {
      // In the language of the person's Telegram at the scan: there is no update to read it from.
      const t = translatorFor(this.i18n, botLocaleOf(session.language));
      void this.replies.sendMessage(
        session.user.id,
        botMessages(t).newLogin(session),
        newLoginKeyboard(session.sid, t),
      );
    } catch (error) {
      this.logger.warn(
        `Could not tell Telegram user ${session.user.id} of a new login: ${(error as Error).message}`,
      );
    }
  }
}
