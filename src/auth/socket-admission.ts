import { Injectable, Logger, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  InjectThrottlerStorage,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import proxyaddr from 'proxy-addr';
import type { Namespace, Socket } from 'socket.io';
import {
  FAILED_HANDSHAKES_PER_IP,
  FAILED_HANDSHAKES_WINDOW_MS,
  MAX_SOCKETS_PER_IP,
  MAX_SOCKETS_PER_LOGIN,
} from './auth.constants.js';

/** The name under which failed handshakes are counted in the rate-limit storage. */
const FAILURES_THROTTLER = 'socket-handshake-failures';

/** Past this many blocked addresses remembered, the expired ones are swept. */
const BLOCKED_SWEEP_SIZE = 10_000;

/**
 * A handshake refused: Socket.IO sends `message` and `data` to the client as
 * its `connect_error`.
 */
export class SocketRefusal extends Error {
  constructor(
    message: string,
    readonly data?: { retryAfterSeconds: number },
  ) {
    super(message);
  }
}

/**
 * Who may open a socket on `/auth`, besides holding a login's secret: at most
 * {@link MAX_SOCKETS_PER_LOGIN} per login and {@link MAX_SOCKETS_PER_IP} per
 * client IP on this instance, and no more handshakes from an IP that failed
 * {@link FAILED_HANDSHAKES_PER_IP} times in a window. The client IP follows the
 * app's `trust proxy`, as `req.ip` (and so the HTTP rate limits) does.
 */
@Injectable()
export class SocketAdmission {
  private readonly logger = new Logger(SocketAdmission.name);
  private readonly perLogin = new Map<string, number>();
  private readonly perIp = new Map<string, number>();
  // Addresses known to be over the failure limit, until when (epoch ms): refused without a look-up.
  // Another instance learns of a block at its first failure from that address (the count is shared).
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    @InjectThrottlerStorage() private readonly failures: ThrottlerStorage,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {}

  /** The client's IP as Express's `req.ip` would give it for the handshake's request. */
  clientIp(socket: Socket): string {
    const trust = this.trustProxy();
    const request = socket.request as Socket['request'] | undefined;
    return trust && request?.socket
      ? proxyaddr(request, trust)
      : socket.handshake.address;
  }

  /** Before the login is looked up: refuses an address that failed too often or holds too many sockets. */
  screen(ip: string, now = Date.now()): void {
    const until = this.blockedUntil.get(ip);
    if (until !== undefined) {
      if (until > now) throw tooManyFailures(until - now);
      this.blockedUntil.delete(ip);
    }
    if ((this.perIp.get(ip) ?? 0) >= MAX_SOCKETS_PER_IP)
      throw new SocketRefusal('Too many connections from your address');
  }

  /**
   * Counts a handshake with an unknown token or a wrong secret, and returns the refusal to send:
   * "Unknown login", or once the address is past the limit, the rate limit's.
   */
  async failed(ip: string): Promise<SocketRefusal> {
    const record = await this.failures.increment(
      `socket-handshake:${ip}`,
      FAILED_HANDSHAKES_WINDOW_MS,
      FAILED_HANDSHAKES_PER_IP,
      FAILED_HANDSHAKES_WINDOW_MS,
      FAILURES_THROTTLER,
    );
    if (!record.isBlocked) return new SocketRefusal('Unknown login');
    const blockMs = record.timeToBlockExpire * 1000;
    if (!this.blockedUntil.has(ip))
      this.logger.warn(
        `Refusing socket handshakes from ${ip} for ${record.timeToBlockExpire} s: too many with an unknown login or a wrong secret`,
      );
    this.remember(ip, Date.now() + blockMs);
    return tooManyFailures(blockMs);
  }

  /**
   * Counts the socket against its login's and its address's caps (or refuses it), until it
   * disconnects or its connection closes, whichever comes first: a socket whose client left
   * during the handshake never connects, and so never disconnects either.
   */
  admit(socket: Socket, ip: string, token: string): void {
    if (socket.conn.readyState !== 'open')
      throw new SocketRefusal('Connection closed');
    if ((this.perLogin.get(token) ?? 0) >= MAX_SOCKETS_PER_LOGIN)
      throw new SocketRefusal('Too many connections for this login');
    if ((this.perIp.get(ip) ?? 0) >= MAX_SOCKETS_PER_IP)
      throw new SocketRefusal('Too many connections from your address');
    add(this.perLogin, token, 1);
    add(this.perIp, ip, 1);
    let counted = true;
    const release = () => {
      if (!counted) return;
      counted = false;
      add(this.perLogin, token, -1);
      add(this.perIp, ip, -1);
      socket.conn.off('close', release);
    };
    socket.once('disconnect', release);
    socket.conn.once('close', release);
  }

  private remember(ip: string, until: number): void {
    if (this.blockedUntil.size >= BLOCKED_SWEEP_SIZE) {
      const now = Date.now();
      for (const [address, end] of this.blockedUntil)
        if (end <= now) this.blockedUntil.delete(address);
    }
    this.blockedUntil.set(ip, until);
  }

  /** Express's compiled `trust proxy` setting (what `req.ip` uses); undefined on other HTTP adapters. */
  private trustProxy():
    ((address: string, hop: number) => boolean) | undefined {
    const adapter = this.adapterHost?.httpAdapter;
    if (adapter?.getType() !== 'express') return undefined;
    const trust = adapter
      .getInstance<{ get(setting: string): unknown }>()
      .get('trust proxy fn');
    return typeof trust === 'function'
      ? (trust as (address: string, hop: number) => boolean)
      : undefined;
  }
}

function tooManyFailures(remainingMs: number): SocketRefusal {
  const seconds = Math.max(1, Math.ceil(remainingMs / 1000));
  return new SocketRefusal(
    `Too many failed attempts from your address. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
    { retryAfterSeconds: seconds },
  );
}

function add(counts: Map<string, number>, key: string, delta: number): void {
  const count = (counts.get(key) ?? 0) + delta;
  if (count > 0) counts.set(key, count);
  else counts.delete(key);
}

/**
 * Runs `admit` as the namespace's handshake: the socket connects when it
 * resolves, and gets its rejection as `connect_error` otherwise, after which
 * its connection is closed. A page opens no other namespace on that
 * connection, and leaving it to Socket.IO's connect timeout (45 s) let refused
 * connections pile up until the process ran out of file descriptors. Closed
 * once the refusal is on its way: Socket.IO sends it on the next tick (and
 * drops it if the connection is closed by then), and engine.io drains first.
 */
export function handshakeWith(
  server: Namespace,
  admit: (socket: Socket) => Promise<void>,
): void {
  server.use((socket, next) => {
    admit(socket).then(
      () => next(),
      (refusal: Error) => {
        next(refusal);
        setImmediate(() => socket.conn.close());
      },
    );
  });
}
