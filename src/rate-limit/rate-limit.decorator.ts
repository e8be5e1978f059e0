import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import {
  RATE_LIMITED_ACTION,
  type RateLimitedAction,
} from './rate-limit.constants.js';

/**
 * Limits a route per client IP (`req.ip`) with the configured limit of
 * `action`. Only routes marked so are limited: the webhook and the rest are not.
 */
export const RateLimit = (action: RateLimitedAction) =>
  applyDecorators(
    SetMetadata(RATE_LIMITED_ACTION, action),
    UseGuards(ThrottlerGuard),
  );
