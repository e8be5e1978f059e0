import { Injectable } from '@nestjs/common';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { SOCKET_IO_PATH_PREFIX } from './shutdown.constants.js';

/**
 * Knows whether the instance is draining (shutting down) and which HTTP
 * requests are still being served, so that a shutdown can wait for them.
 * Requests are counted from their arrival, before any body is read.
 */
@Injectable()
export class ShutdownService {
  private isDraining = false;
  private readonly inFlight = new Set<ServerResponse>();
  private readonly idleWaiters = new Set<() => void>();
  private readonly watched = new WeakSet<Server>();

  get draining(): boolean {
    return this.isDraining;
  }

  get requestsInFlight(): number {
    return this.inFlight.size;
  }

  /** Starts counting the server's requests; idempotent. */
  watch(server: Server): void {
    if (this.watched.has(server)) return;
    this.watched.add(server);
    server.on('request', (request: IncomingMessage, response: ServerResponse) =>
      this.track(request, response),
    );
  }

  /** From now on readiness fails and responses ask clients not to reuse the connection. */
  startDraining(): void {
    this.isDraining = true;
    for (const response of this.inFlight)
      if (!response.headersSent) response.setHeader('Connection', 'close');
  }

  /** Resolves true once no request is in flight, or false when `timeoutMs` passes first. */
  whenIdle(timeoutMs: number): Promise<boolean> {
    if (this.inFlight.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (idle: boolean) => {
        clearTimeout(timer);
        this.idleWaiters.delete(onIdle);
        resolve(idle);
      };
      const onIdle = () => done(true);
      const timer = setTimeout(() => done(false), Math.max(0, timeoutMs));
      this.idleWaiters.add(onIdle);
    });
  }

  private track(request: IncomingMessage, response: ServerResponse): void {
    if (request.url?.startsWith(SOCKET_IO_PATH_PREFIX)) return;
    this.inFlight.add(response);
    // Keep-alive connections would otherwise outlive the drain; the client reconnects, through the proxy, elsewhere.
    if (this.draining && !response.headersSent)
      response.setHeader('Connection', 'close');
    response.once('close', () => {
      this.inFlight.delete(response);
      if (this.inFlight.size === 0)
        for (const waiter of [...this.idleWaiters]) waiter();
    });
  }
}
