import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { LOGIN_TOKEN_PATTERN } from '../auth/auth.constants.js';
import { LoginService } from '../auth/login.service.js';
import { appConfig } from '../config/index.js';
import { BotClientService } from './bot-client.service.js';
import { BotMessages } from './bot-messages.js';
import { parseStartCommand, type StartCommand } from './start-command.js';

/** What the handling of one update amounted to; for logs, metrics and tests. */
export type UpdateOutcome = 'ignored' | 'bare-start' | 'authenticated' | 'expired' | 'unknown';

/** Acts on the updates Telegram delivers, whichever way they arrive. */
@Injectable()
export class TelegramUpdateService {
  private readonly logger = new Logger(TelegramUpdateService.name);

  constructor(
    private readonly logins: LoginService,
    private readonly bot: BotClientService,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
  ) {}

  async handle(update: unknown): Promise<UpdateOutcome> {
    const command = parseStartCommand(update);
    if (!command) return 'ignored';
    const outcome = await this.outcomeOf(command);
    // The browser has its answer already; the person's reply must not hold up the webhook.
    void this.bot.sendMessage(command.chatId, this.replyFor(outcome));
    this.logger.log(`/start from Telegram user ${command.user.id}: ${outcome}`);
    return outcome;
  }

  private async outcomeOf({ payload, user }: StartCommand): Promise<Exclude<UpdateOutcome, 'ignored'>> {
    if (payload === '') return 'bare-start';
    if (!LOGIN_TOKEN_PATTERN.test(payload)) return 'unknown';
    return this.logins.completeFromTelegram(payload, user);
  }

  private replyFor(outcome: Exclude<UpdateOutcome, 'ignored'>): string {
    const name = this.app.appName;
    switch (outcome) {
      case 'authenticated':
        return BotMessages.loggedIn(name);
      case 'expired':
        return BotMessages.expired(name);
      case 'unknown':
        return BotMessages.unknown(name);
      case 'bare-start':
        return BotMessages.bareStart(name);
    }
  }
}
