import { type RunningApp, startApp } from '../../support/app.js';
import { enforcePageCsp } from './login-page.js';

/**
 * The real app on a free port, serving the login page under the test CSP.
 * Rate limits are raised: a page that replaces its code every second asks for many.
 */
export async function startServiceForPage(
  env: Record<string, string | undefined> = {},
): Promise<RunningApp> {
  const service = await startApp({
    RATE_LIMIT_TOKEN: '1000',
    RATE_LIMIT_POLL: '1000',
    ...env,
  });
  enforcePageCsp(service.app.getHttpServer());
  return service;
}
