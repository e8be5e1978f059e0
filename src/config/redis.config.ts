import { registerAs } from '@nestjs/config';
import { validateEnvironment } from './env.validation.js';

export const redisConfig = registerAs('redis', () => {
  const env = validateEnvironment(process.env);
  return {
    /** Unset: one instance with the in-memory store. Set: store, rooms, dedupe and rate limits in Redis. */
    url: env.REDIS_URL,
    /** Starts every key and channel name, so that deployments sharing a Redis do not meet. */
    keyPrefix: env.REDIS_KEY_PREFIX,
  };
});
