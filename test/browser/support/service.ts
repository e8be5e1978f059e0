import type { LoggerService } from '@nestjs/common';
import { type RunningApp, startApp } from '../../support/app.js';
import { FakeBotApi } from '../../support/fake-bot-api.js';
import { enforcePageCsp } from './login-page.js';

export interface PageServiceOptions {
  /**
   * No BOT_TOKEN: the page people see when they try the service without a
   * bot. Default false: a bot is configured (the fake Bot API plays it, under
   * BOT_USERNAME), so the page is the one people see in production.
   */
  demoMode?: boolean;
  /** Where the service logs (default: nowhere). */
  logger?: LoggerService;
  /** Origins the test CSP allows images from, beside the page's own (a logo's). */
  imageOrigins?: readonly string[];
}

/** The service, and the fake Bot API playing its bot (none in demo mode). */
export interface PageService extends RunningApp {
  bot?: FakeBotApi;
}

/**
 * The real app on a free port, serving the login page under the test CSP.
 * Rate limits are raised: a page that replaces its code every second asks for many.
 */
export async function startServiceForPage(
  env: Record<string, string | undefined> = {},
  { demoMode = false, logger, imageOrigins }: PageServiceOptions = {},
): Promise<PageService> {
  const bot = demoMode
    ? undefined
    : await FakeBotApi.start({ username: env.BOT_USERNAME });
  let service: RunningApp;
  try {
    service = await startApp(
      {
        RATE_LIMIT_TOKEN: '1000',
        RATE_LIMIT_POLL: '1000',
        ...bot?.env,
        ...env,
      },
      { logger },
    );
  } catch (error) {
    await bot?.close();
    throw error;
  }
  enforcePageCsp(service.app.getHttpServer(), imageOrigins);
  return {
    ...service,
    bot,
    async close() {
      await service.close();
      await bot?.close();
    },
  };
}
