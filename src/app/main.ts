import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { createApp } from './app.factory.js';
import { appConfig } from './config/index.js';
import type { TelegramSettings } from '../interfaces/settings.interface.js';
import { TELEGRAM_SETTINGS } from '../telegram-qr-auth.constants.js';
import { exitGracefullyOnSignals } from './shutdown/graceful-shutdown.js';

async function bootstrap(): Promise<void> {
  const app = await createApp();
  const logger = new Logger('Bootstrap');
  const { port, shutdownTimeoutMs } = app.get<ConfigType<typeof appConfig>>(
    appConfig.KEY,
  );
  const { appName } = app.get<TelegramSettings>(TELEGRAM_SETTINGS);

  exitGracefullyOnSignals(app, shutdownTimeoutMs);
  await app.listen(port);
  logger.log(
    `${appName} listening on http://localhost:${port} (API docs at /docs)`,
  );
}

bootstrap().catch((error: unknown) => {
  // Configuration errors are written for people; print them without a stack trace.
  const message = error instanceof Error ? error.message : String(error);
  console.error(`Could not start: ${message}`);
  process.exit(1);
});
