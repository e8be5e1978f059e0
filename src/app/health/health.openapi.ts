import type { ApiResponseExamples, SchemaObject } from '@nestjs/swagger';
import {
  LIFECYCLE_CHECK,
  REDIS_CHECK,
  WEBHOOK_CHECK,
} from './health.constants.js';
import { UNCHECKED_WEBHOOK_WARNING } from './webhook.health.js';

// Terminus's own documentation shows a "database" check this service does not have: these show ours.

const checkSchema: SchemaObject = {
  type: 'object',
  required: ['status'],
  properties: {
    status: { type: 'string', enum: ['up', 'down'] },
    message: { type: 'string', description: 'Why the check is down' },
    warning: {
      type: 'string',
      description:
        'Up, but unsafe: `webhook` says so of a bot without WEBHOOK_SECRET',
    },
    responseTime: {
      type: 'number',
      description: 'Milliseconds Redis took to answer PING (or to fail)',
    },
  },
};

const checksSchema = (description: string): SchemaObject => ({
  type: 'object',
  description,
  additionalProperties: checkSchema,
});

/** Terminus's answer, for the checks this service runs (`lifecycle`, and `redis` with REDIS_URL). */
export const HEALTH_RESULT_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['status', 'info', 'error', 'details'],
  properties: {
    status: { type: 'string', enum: ['ok', 'error'] },
    info: checksSchema('The checks that are up'),
    error: checksSchema('The checks that are down'),
    details: checksSchema('Every check'),
  },
};

const lifecycleUp = { [LIFECYCLE_CHECK]: { status: 'up' } };
const redisUp = { [REDIS_CHECK]: { status: 'up', responseTime: 1 } };
const uncheckedWebhook = {
  [WEBHOOK_CHECK]: { status: 'up', warning: UNCHECKED_WEBHOOK_WARNING },
};

export const LIVENESS_EXAMPLE = {
  status: 'ok',
  info: {},
  error: {},
  details: {},
};

export const READY_EXAMPLES: Record<string, ApiResponseExamples> = {
  withRedis: {
    summary: 'With REDIS_URL',
    value: {
      status: 'ok',
      info: { ...lifecycleUp, ...redisUp },
      error: {},
      details: { ...lifecycleUp, ...redisUp },
    },
  },
  withoutRedis: {
    summary: 'Without REDIS_URL',
    value: { status: 'ok', info: lifecycleUp, error: {}, details: lifecycleUp },
  },
  uncheckedWebhook: {
    summary: 'A bot without WEBHOOK_SECRET (outside production)',
    value: {
      status: 'ok',
      info: { ...lifecycleUp, ...uncheckedWebhook },
      error: {},
      details: { ...lifecycleUp, ...uncheckedWebhook },
    },
  },
};

const redisDown = {
  [REDIS_CHECK]: {
    status: 'down',
    message: 'not connected (reconnecting)',
    responseTime: 0,
  },
};
const shuttingDown = {
  [LIFECYCLE_CHECK]: { status: 'down', message: 'shutting down' },
};

export const NOT_READY_EXAMPLES: Record<string, ApiResponseExamples> = {
  redisDown: {
    summary: 'Redis does not answer',
    value: {
      status: 'error',
      info: lifecycleUp,
      error: redisDown,
      details: { ...lifecycleUp, ...redisDown },
    },
  },
  shuttingDown: {
    summary: 'The instance is shutting down',
    value: {
      status: 'error',
      info: redisUp,
      error: shuttingDown,
      details: { ...shuttingDown, ...redisUp },
    },
  },
};
