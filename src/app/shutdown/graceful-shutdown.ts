import { type INestApplication, Logger } from '@nestjs/common';
import type { Server } from 'node:http';
import { CLOSE_RESERVE_MS } from './shutdown.constants.js';
import { ShutdownService } from './shutdown.service.js';

const logger = new Logger('Shutdown');

const SHUTDOWN_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

export interface ShutdownReport {
  /** Every request in flight finished before the bound. */
  drained: boolean;
  /** Requests cut off because they ran past the bound. */
  abandonedRequests: number;
  durationMs: number;
}

/**
 * Stops the instance without dropping work, within `timeoutMs`:
 * 1. readiness turns 503 and responses carry `Connection: close`;
 * 2. the server stops accepting connections (idle keep-alive ones are closed);
 * 3. requests in flight (a webhook being handled) finish, up to the bound
 *    less a reserve for step 4; those still running then are cut off;
 * 4. the app closes: Socket.IO drops its connections, so browsers reconnect
 *    (through the proxy) to another instance and get their status there,
 *    then the Redis connection is closed (`onApplicationShutdown`).
 * Nest's own order (destroy hooks before the HTTP server closes) would tear
 * modules down under requests still running, hence steps 1-3 come first.
 */
export async function shutDownGracefully(
  app: INestApplication,
  timeoutMs: number,
): Promise<ShutdownReport> {
  const started = Date.now();
  const shutdown = app.get(ShutdownService);
  const server = app.getHttpServer() as Server;

  shutdown.startDraining();
  server.close();
  const drainBudget = Math.max(
    0,
    timeoutMs - Math.min(CLOSE_RESERVE_MS, timeoutMs / 2),
  );
  const pending = shutdown.requestsInFlight;
  if (pending > 0)
    logger.log(
      `Waiting up to ${drainBudget} ms for ${pending} request(s) in flight`,
    );
  const drained = await shutdown.whenIdle(drainBudget);
  const abandonedRequests = shutdown.requestsInFlight;
  if (!drained) {
    logger.warn(
      `${abandonedRequests} request(s) still running after ${drainBudget} ms; closing their connections`,
    );
    server.closeAllConnections();
  }
  await app.close();
  return { drained, abandonedRequests, durationMs: Date.now() - started };
}

/**
 * SIGTERM (orchestrators, `docker stop`) and SIGINT (Ctrl+C) shut the process
 * down gracefully and exit 0; 1 if that fails or overruns `timeoutMs`. A second
 * signal is left to Node's default handling: it ends the process at once.
 */
export function exitGracefullyOnSignals(
  app: INestApplication,
  timeoutMs: number,
): void {
  const onSignal = (signal: NodeJS.Signals) => {
    for (const other of SHUTDOWN_SIGNALS)
      process.removeListener(other, onSignal);
    logger.log(`${signal} received: draining (at most ${timeoutMs} ms)`);
    const deadline = setTimeout(() => {
      logger.error(
        `Shutdown did not finish within ${timeoutMs} ms; exiting anyway`,
      );
      process.exit(1);
    }, timeoutMs);
    deadline.unref();
    shutDownGracefully(app, timeoutMs).then(
      ({ drained, abandonedRequests, durationMs }) => {
        logger.log(
          `Stopped in ${durationMs} ms${drained ? '' : ` (${abandonedRequests} request(s) cut off)`}`,
        );
        process.exit(0);
      },
      (error: unknown) => {
        logger.error(
          `Shutdown failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        process.exit(1);
      },
    );
  };
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, onSignal);
}
