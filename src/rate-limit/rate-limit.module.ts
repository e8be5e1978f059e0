import { Module } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  ThrottlerModule,
  type ThrottlerModuleOptions,
} from '@nestjs/throttler';
import type { RedisClient } from '../redis/redis-client.factory.js';
import type {
  AuthSettings,
  RedisSettings,
} from '../interfaces/settings.interface.js';
import { REDIS_CLIENT } from '../redis/redis.constants.js';
import { RedisModule } from '../redis/redis.module.js';
import {
  AUTH_SETTINGS,
  REDIS_SETTINGS,
} from '../telegram-qr-auth.constants.js';
import {
  RATE_LIMITED_ACTION,
  type RateLimitedAction,
  tooManyRequests,
} from './rate-limit.constants.js';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';

function throttlerOptions(
  authSettings: AuthSettings,
  redisSettings: RedisSettings,
  redis: RedisClient | null,
  reflector: Reflector,
): ThrottlerModuleOptions {
  const { ttlSeconds, ...limits } = authSettings.rateLimit;
  return {
    throttlers: [
      {
        ttl: ttlSeconds * 1000,
        // Each route marked with @RateLimit(action) gets that action's limit (and, by the guard's key, its own count).
        limit: (context) =>
          limits[
            reflector.get<RateLimitedAction>(
              RATE_LIMITED_ACTION,
              context.getHandler(),
            )
          ],
      },
    ],
    errorMessage: (_context, { timeToBlockExpire }) =>
      tooManyRequests(timeToBlockExpire),
    // Without Redis the throttler's own in-memory storage counts, per instance.
    storage: redis
      ? new RedisThrottlerStorage(redis, redisSettings.keyPrefix)
      : undefined,
  };
}

/** Rate limits for the routes marked with `@RateLimit()`; ThrottlerModule is global, so its guard works in any module. */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      imports: [RedisModule],
      inject: [AUTH_SETTINGS, REDIS_SETTINGS, REDIS_CLIENT, Reflector],
      useFactory: throttlerOptions,
    }),
  ],
})
export class RateLimitModule {}
