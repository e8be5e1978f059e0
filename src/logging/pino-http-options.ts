import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { stdTimeFunctions } from 'pino';
import type { Options } from 'pino-http';
import type { SerializedRequest, SerializedResponse } from 'pino';
import type { LogLevelName } from '../config/env.validation.js';
import {
  INCOMING_REQUEST_ID_PATTERN,
  MIN_SCRUBBED_SECRET_LENGTH,
  REDACTED,
  REDACTED_PATHS,
  REQUEST_ID_HEADER,
  UNLOGGED_PATHS,
} from './logging.constants.js';

export interface LogSettings {
  level: LogLevelName;
  /** Configured secrets (bot token, webhook secret, JWT secret): replaced wherever they appear in a line. */
  secrets: readonly (string | undefined)[];
}

/**
 * One JSON object per line: ISO time, level name, `reqId` on every line
 * written while a request is handled (and in the `X-Request-Id` response
 * header), secret headers redacted, configured secrets scrubbed from the
 * finished line (they can hide inside error messages and Bot API URLs).
 */
export function pinoHttpOptions({ level, secrets }: LogSettings): Options {
  return {
    level,
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: REDACTED },
    hooks: { streamWrite: secretScrubber(secrets) },
    genReqId: requestId,
    serializers: {
      // The request without the router's params; the response without the security headers every response has.
      req: ({ id, method, url, remoteAddress, headers }: SerializedRequest) => ({ id, method, url, remoteAddress, headers }),
      res: ({ statusCode }: SerializedResponse) => ({ statusCode }),
    },
    // Lines logged while handling a request carry its id, not the whole request again.
    quietReqLogger: true,
    customLogLevel: (_request, response, error) =>
      error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
    autoLogging: { ignore: (request) => UNLOGGED_PATHS.test(request.url ?? '') },
  };
}

function requestId(request: IncomingMessage, response: ServerResponse): string {
  const incoming = request.headers[REQUEST_ID_HEADER];
  const id = typeof incoming === 'string' && INCOMING_REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
  response.setHeader('X-Request-Id', id);
  return id;
}

/** Replaces each secret (also as it reads inside a JSON string) with {@link REDACTED}. */
export function secretScrubber(secrets: readonly (string | undefined)[]): (line: string) => string {
  const needles = [
    ...new Set(
      secrets
        .filter((secret): secret is string => typeof secret === 'string' && secret.length >= MIN_SCRUBBED_SECRET_LENGTH)
        .flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]),
    ),
  ].sort((a, b) => b.length - a.length);
  if (needles.length === 0) return (line) => line;
  return (line) => needles.reduce((text, needle) => (text.includes(needle) ? text.split(needle).join(REDACTED) : text), line);
}
