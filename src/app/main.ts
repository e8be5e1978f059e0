import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { isIPv6 } from 'node:net';
import { createApp } from './app.factory.js';
import { appConfig } from './config/index.js';
import { DEMO_HOST, listenHost } from './listen-host.js';
import type { TelegramSettings } from '../interfaces/settings.interface.js';
import { TELEGRAM_SETTINGS } from '../telegram-qr-auth.constants.js';
import { exitGracefullyOnSignals } from './shutdown/graceful-shutdown.js';

async function bootstrap(): Promise<void> {
  const app = await createApp();
  const logger = new Logger('Bootstrap');
  const { port, host, shutdownTimeoutMs } = app.get<
    ConfigType<typeof appConfig>
  >(appConfig.KEY);
  const { appName, demoMode } = app.get<TelegramSettings>(TELEGRAM_SETTINGS);
  const address = listenHost(host, demoMode);

  exitGracefullyOnSignals(app, shutdownTimeoutMs);
  if (address === undefined) await app.listen(port);
  else await app.listen(port, address);
  logger.log(`${appName} listening on ${describeAddress(address, port)}`);
  if (demoMode && host === undefined)
    logger.log(
      `Demo mode listens on ${DEMO_HOST} only: anyone who reaches it can log in as anyone. Set HOST=0.0.0.0 to reach it from elsewhere (in a container, for instance).`,
    );
}

function describeAddress(address: string | undefined, port: number): string {
  if (address === undefined)
    return `all interfaces, port ${port}: http://localhost:${port} (API docs at /docs)`;
  const hostInUrl = isIPv6(address) ? `[${address}]` : address;
  return `http://${hostInUrl}:${port} (API docs at /docs)`;
}

bootstrap().catch((error: unknown) => {
  // Configuration errors are written for people; print them without a stack trace.
  const message = error instanceof Error ? error.message : String(error);
  console.error(`Could not start: ${message}`);
  process.exit(1);
});
