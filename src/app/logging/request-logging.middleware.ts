import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PinoLogger } from 'nestjs-pino';
import {
  INCOMING_REQUEST_ID_PATTERN,
  REQUEST_ID_HEADER,
  STATIC_FILE_PATH,
  UNLOGGED_PATHS,
} from './logging.constants.js';

type Middleware = (
  request: IncomingMessage,
  response: ServerResponse,
  next: () => void,
) => void;

/**
 * Gives every request an id (kept from a proxy's `X-Request-Id` when it looks
 * like one, sent back in the response) that every line logged while handling
 * it carries, and writes one line when it is over.
 *
 * Used instead of nestjs-pino's own HTTP middleware (pino-http plus a second
 * middleware that binds the context, each wrapped by Nest's route matching):
 * that made two child loggers per request, one serializing the whole request
 * up front, and cost about 0.1 ms of a 0.26 ms token creation (bench/README).
 * Here a request costs one child logger and one serialization, at the end.
 * The context is nestjs-pino's own (`runInContext`), so `Logger` lines in
 * handlers still carry the id.
 */
export function requestLogging(logger: PinoLogger): Middleware {
  return (request, response, next) => {
    const id = requestIdOf(request, response);
    const startedAt = Date.now();
    logger.runInContext(
      () => {
        if (!UNLOGGED_PATHS.test(request.url ?? '')) {
          const log = logger.logger;
          response.once('close', () =>
            logCompletion(log, request, response, startedAt),
          );
        }
        next();
      },
      { bindings: { reqId: id } },
    );
  };
}

function requestIdOf(
  request: IncomingMessage & { id?: unknown },
  response: ServerResponse,
): string {
  const incoming = request.headers[REQUEST_ID_HEADER];
  const id =
    typeof incoming === 'string' && INCOMING_REQUEST_ID_PATTERN.test(incoming)
      ? incoming
      : randomUUID();
  // The request serializer reports it as req.id.
  request.id = id;
  response.setHeader('X-Request-Id', id);
  return id;
}

function logCompletion(
  log: PinoLogger['logger'],
  request: IncomingMessage,
  response: ServerResponse,
  startedAt: number,
): void {
  const finished = response.writableFinished;
  const { statusCode } = response;
  const level =
    statusCode >= 500
      ? 'error'
      : statusCode >= 400 || !finished
        ? 'warn'
        : isStaticFile(request, statusCode)
          ? 'debug'
          : 'info';
  log[level](
    { req: request, res: response, responseTime: Date.now() - startedAt },
    finished ? 'request completed' : 'request aborted',
  );
}

/**
 * A file served successfully (2xx, or 304 for a revalidated one). A page load
 * fetches the page, its scripts, styles, icon and the Socket.IO client: at
 * info those lines would bury the API's.
 */
function isStaticFile(request: IncomingMessage, statusCode: number): boolean {
  return (
    (request.method === 'GET' || request.method === 'HEAD') &&
    ((statusCode >= 200 && statusCode < 300) || statusCode === 304) &&
    STATIC_FILE_PATH.test(request.url ?? '')
  );
}
