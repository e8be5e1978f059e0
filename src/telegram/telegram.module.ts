import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Api } from 'grammy';
import { AuthModule } from '../auth/auth.module.js';
import { telegramConfig } from '../config/index.js';
import { BotClientService } from './bot-client.service.js';
import { TELEGRAM_BOT_API } from './telegram.constants.js';
import { TelegramController } from './telegram.controller.js';
import { TelegramUpdateService } from './telegram-update.service.js';
import { WebhookSecretGuard } from './webhook-secret.guard.js';

@Module({
  imports: [AuthModule],
  controllers: [TelegramController],
  providers: [
    {
      provide: TELEGRAM_BOT_API,
      inject: [telegramConfig.KEY],
      useFactory: ({ botToken, apiRoot }: ConfigType<typeof telegramConfig>) =>
        botToken ? new Api(botToken, { apiRoot }) : null,
    },
    BotClientService,
    TelegramUpdateService,
    WebhookSecretGuard,
  ],
  exports: [TelegramUpdateService, BotClientService],
})
export class TelegramModule {}
