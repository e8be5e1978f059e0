import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { createApp } from './app.factory.js';
import { appConfig } from './config/index.js';
import type {
  AuthSettings,
  TelegramSettings,
} from '../interfaces/settings.interface.js';
import {
  AUTH_SETTINGS,
  TELEGRAM_SETTINGS,
} from '../telegram-qr-auth.constants.js';
import { exitGracefullyOnSignals } from './shutdown/graceful-shutdown.js';

async function bootstrap(): Promise<void> {
  const app = await createApp();
  const logger = new Logger('Bootstrap');
  const { port, shutdownTimeoutMs } = app.get<ConfigType<typeof appConfig>>(
    appConfig.KEY,
  );
  const telegram = app.get<TelegramSettings>(TELEGRAM_SETTINGS);
  const auth = app.get<AuthSettings>(AUTH_SETTINGS);

  if (telegram.demoMode) {
    logger.warn(
      `DEMO MODE: no BOT_TOKEN is set, so nothing is sent to Telegram. Complete a login with: npm run simulate -- '<deep link>' (the page shows the command)`,
    );
  }
  if (!telegram.webhookSecret) {
    logger.warn(
      'WEBHOOK_SECRET is not set: the webhook secret check is OFF and anyone can post updates.',
    );
  }
  if (auth.jwtSecretIsEphemeral) {
    logger.warn(
      'JWT_SECRET is not set: sessions are signed with a random key and end when the process stops.',
    );
  }

  exitGracefullyOnSignals(app, shutdownTimeoutMs);
  await app.listen(port);
  logger.log(
    `${telegram.appName} listening on http://localhost:${port} (API docs at /docs)`,
  );
}

bootstrap().catch((error: unknown) => {
  // Configuration errors are written for people; print them without a stack trace.
  const message = error instanceof Error ? error.message : String(error);
  console.error(`Could not start: ${message}`);
  process.exit(1);
});
