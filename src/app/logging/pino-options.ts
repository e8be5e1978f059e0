import type {
  LoggerOptions,
  SerializedRequest,
  SerializedResponse,
} from 'pino';
import { stdTimeFunctions } from 'pino';
import type { LogLevelName } from '../config/env.validation.js';
import {
  MIN_SCRUBBED_SECRET_LENGTH,
  REDACTED,
  REDACTED_PATH_SEGMENT,
  REDACTED_PATHS,
  REDACTED_QUERY_PARAMETERS,
} from './logging.constants.js';

export interface LogSettings {
  level: LogLevelName;
  /** Configured secrets (bot token, webhook secret, JWT secret): replaced wherever they appear in a line. */
  secrets: readonly (string | undefined)[];
}

/**
 * The one pino logger of the app (nestjs-pino builds it from these): one JSON
 * object per line, ISO time, level name, secret headers redacted, configured
 * secrets scrubbed from the finished line (they can hide inside error
 * messages and Bot API URLs).
 */
export function pinoOptions({ level, secrets }: LogSettings): LoggerOptions {
  return {
    level,
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: REDACTED },
    hooks: { streamWrite: secretScrubber(secrets) },
    serializers: {
      // The request without the router's params; the response without the security headers every response has.
      req: ({
        id,
        method,
        url,
        remoteAddress,
        headers,
      }: SerializedRequest) => ({
        id,
        method,
        url: withoutCredentials(url),
        remoteAddress,
        headers,
      }),
      res: ({ statusCode }: SerializedResponse) => ({ statusCode }),
    },
  };
}

/** The URL with the values of {@link REDACTED_QUERY_PARAMETERS} and a photo ticket ({@link REDACTED_PATH_SEGMENT}) replaced by {@link REDACTED}. */
export function withoutCredentials(logged: string): string {
  const url = logged.replace(REDACTED_PATH_SEGMENT, `$1${REDACTED}`);
  const query = url.indexOf('?');
  if (query < 0) return url;
  const parameters = new URLSearchParams(url.slice(query + 1));
  let changed = false;
  for (const name of REDACTED_QUERY_PARAMETERS)
    if (parameters.has(name)) {
      parameters.set(name, REDACTED);
      changed = true;
    }
  return changed ? `${url.slice(0, query)}?${parameters.toString()}` : url;
}

/** Replaces each secret (also as it reads inside a JSON string) with {@link REDACTED}. */
export function secretScrubber(
  secrets: readonly (string | undefined)[],
): (line: string) => string {
  const needles = [
    ...new Set(
      secrets
        .filter(
          (secret): secret is string =>
            typeof secret === 'string' &&
            secret.length >= MIN_SCRUBBED_SECRET_LENGTH,
        )
        .flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]),
    ),
  ].sort((a, b) => b.length - a.length);
  if (needles.length === 0) return (line) => line;
  return (line) =>
    needles.reduce(
      (text, needle) =>
        text.includes(needle) ? text.split(needle).join(REDACTED) : text,
      line,
    );
}
