import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface.js';
import { LOGIN_SECRET_HEADER } from '../../auth/auth.constants.js';

/**
 * CORS for HTTP and Socket.IO from `appConfig.corsOrigins`: empty → undefined
 * (no CORS headers: same origin only), `["*"]` → any origin, otherwise exactly
 * the listed origins. No credentials: the API uses bearer tokens and headers, not cookies.
 */
export function corsOptionsFor(
  origins: readonly string[],
): CorsOptions | undefined {
  if (origins.length === 0) return undefined;
  return {
    origin: origins.includes('*') ? '*' : [...origins],
    methods: ['GET', 'POST'],
    allowedHeaders: ['Content-Type', 'Authorization', LOGIN_SECRET_HEADER],
    // What a page may read of the answers: Retry-After comes with a 429, the
    // X-RateLimit-* with every answer the limit lets through, X-Request-Id with every answer.
    exposedHeaders: [
      'Retry-After',
      'X-RateLimit-Limit',
      'X-RateLimit-Remaining',
      'X-RateLimit-Reset',
      'X-Request-Id',
    ],
    maxAge: 600,
  };
}
