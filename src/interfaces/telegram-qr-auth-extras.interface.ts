import type { Type } from '@nestjs/common';
import type { LoginStore } from '../auth/interfaces/index.js';
import type { LoginPolicy } from '../auth/login-policy.js';

/**
 * What shapes the module itself rather than its settings, so it is given
 * next to `useFactory`/`useClass` in `forRootAsync` as well as in `forRoot`.
 */
export interface TelegramQrAuthExtras {
  /** Replaces the default {@link AllowListLoginPolicy}. It may inject providers of the modules in `imports`. */
  loginPolicy?: Type<LoginPolicy>;
  /** Replaces the built-in store (memory, or Redis with `redis.url`). */
  loginStore?: Type<LoginStore>;
  /**
   * Path prefix of the module's routes and page, e.g. `login` → `/login/auth/token`.
   * @default none
   */
  routePrefix?: string;
  /**
   * Serve the bundled login page at `/<routePrefix>`.
   * @default true
   */
  serveLoginPage?: boolean;
}
