import { Logger, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import type { RedisClient } from '../redis/redis-client.factory.js';
import { REDIS_CLIENT } from '../redis/redis.constants.js';
import { RedisModule } from '../redis/redis.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { createBotApi, createPollingApi } from './bot-api.js';
import { BotClientService } from './bot-client.service.js';
import { createBotI18n } from './bot-i18n.js';
import { BotCommandsService } from './bot-commands.service.js';
import { LoginNoticesService } from './login-notices.service.js';
import { MemoryProcessedUpdates } from './processed-updates/memory-processed-updates.js';
import { RedisProcessedUpdates } from './processed-updates/redis-processed-updates.js';
import {
  BOT_I18N,
  PROCESSED_UPDATES,
  TELEGRAM_BOT_API,
  TELEGRAM_POLLING_API,
} from './telegram.constants.js';
import { TelegramController } from './telegram.controller.js';
import { TelegramPollingService } from './telegram-polling.service.js';
import { TelegramUpdateService } from './telegram-update.service.js';
import { WebhookRegistrationService } from './webhook-registration.service.js';
import { WebhookSecretGuard } from './webhook-secret.guard.js';
import {
  TELEGRAM_SETTINGS,
  REDIS_SETTINGS,
} from '../telegram-qr-auth.constants.js';
import type {
  RedisSettings,
  TelegramSettings,
} from '../interfaces/settings.interface.js';

@Module({
  imports: [AuthModule, SessionsModule, RedisModule],
  controllers: [TelegramController],
  providers: [
    {
      provide: TELEGRAM_BOT_API,
      inject: [TELEGRAM_SETTINGS],
      useFactory: createBotApi,
    },
    {
      provide: TELEGRAM_POLLING_API,
      inject: [TELEGRAM_SETTINGS],
      useFactory: createPollingApi,
    },
    {
      provide: BOT_I18N,
      inject: [TELEGRAM_SETTINGS],
      useFactory: (settings: TelegramSettings) => {
        const logger = new Logger('BotI18n');
        return createBotI18n(settings.extraBotMessages, (message) =>
          logger.warn(message),
        );
      },
    },
    {
      provide: PROCESSED_UPDATES,
      inject: [REDIS_CLIENT, REDIS_SETTINGS],
      // Instances behind one webhook must agree on which updates were handled.
      useFactory: (redis: RedisClient | null, settings: RedisSettings) =>
        redis
          ? new RedisProcessedUpdates(redis, settings.keyPrefix)
          : new MemoryProcessedUpdates(),
    },
    BotClientService,
    TelegramUpdateService,
    TelegramPollingService,
    WebhookRegistrationService,
    // After the polling service: in polling mode its deleteWebhook comes first.
    BotCommandsService,
    LoginNoticesService,
    WebhookSecretGuard,
  ],
  exports: [TelegramUpdateService, BotClientService],
})
export class TelegramModule {}
