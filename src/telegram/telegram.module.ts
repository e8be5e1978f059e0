import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { telegramConfig } from '../config/index.js';
import { createBotApi } from './bot-api.js';
import { BotClientService } from './bot-client.service.js';
import { MemoryProcessedUpdates } from './processed-updates/memory-processed-updates.js';
import { PROCESSED_UPDATES, TELEGRAM_BOT_API } from './telegram.constants.js';
import { TelegramController } from './telegram.controller.js';
import { TelegramPollingService } from './telegram-polling.service.js';
import { TelegramUpdateService } from './telegram-update.service.js';
import { WebhookRegistrationService } from './webhook-registration.service.js';
import { WebhookSecretGuard } from './webhook-secret.guard.js';

@Module({
  imports: [AuthModule],
  controllers: [TelegramController],
  providers: [
    { provide: TELEGRAM_BOT_API, inject: [telegramConfig.KEY], useFactory: createBotApi },
    { provide: PROCESSED_UPDATES, useClass: MemoryProcessedUpdates },
    BotClientService,
    TelegramUpdateService,
    TelegramPollingService,
    WebhookRegistrationService,
    WebhookSecretGuard,
  ],
  exports: [TelegramUpdateService, BotClientService],
})
export class TelegramModule {}
