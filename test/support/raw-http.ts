import { connect, type Socket } from 'node:net';
import { PATIENCE_MS } from './patience.js';

/**
 * One HTTP/1.1 connection written byte by byte, for what an HTTP client
 * library will not do: send a body slowly, never finish it, or keep writing
 * after the answer. Errors from writing into a connection the server has
 * closed (EPIPE, ECONNRESET) are expected there and only recorded.
 */
export class RawConnection {
  /** Everything the server sent so far. */
  received = '';
  /** Resolves when the connection is closed, by either side. */
  readonly closed: Promise<void>;
  private readonly socket: Socket;
  private readonly waiters = new Set<() => void>();

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.received += chunk;
      for (const waiter of [...this.waiters]) waiter();
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      socket.once('close', () => resolve()),
    );
  }

  static async open(baseUrl: string): Promise<RawConnection> {
    const { hostname, port } = new URL(baseUrl);
    const socket = connect({ host: hostname, port: Number(port) });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawConnection(socket);
  }

  /** Writes unless the server has closed the connection; true when written. */
  write(data: string | Buffer): boolean {
    if (this.socket.destroyed || !this.socket.writable) return false;
    this.socket.write(data);
    return true;
  }

  /** Resolves with the status code once the server's status line has arrived. */
  async status(timeoutMs = PATIENCE_MS): Promise<number> {
    const line = await this.waitFor(/^HTTP\/1\.1 (\d{3}) /, timeoutMs);
    return Number(line[1]);
  }

  /** Resolves with the whole answer's head and body once the server closed the connection. */
  async untilClosed(timeoutMs = PATIENCE_MS): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.closed,
      new Promise((_resolve, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `the server kept the connection open for ${timeoutMs} ms; it sent: ${JSON.stringify(this.received)}`,
              ),
            ),
          timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    return this.received;
  }

  /** The JSON body of the first answer (Content-Length framed). */
  json(): unknown {
    const [, body] = this.received.split('\r\n\r\n', 2);
    return JSON.parse(body ?? '');
  }

  destroy(): void {
    this.socket.destroy();
  }

  private waitFor(
    pattern: RegExp,
    timeoutMs: number,
  ): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(this.received);
        if (!match) return false;
        clearTimeout(timer);
        this.waiters.delete(onData);
        resolve(match);
        return true;
      };
      const onData = () => void check();
      const timer = setTimeout(() => {
        this.waiters.delete(onData);
        reject(
          new Error(
            `no answer matching ${pattern} within ${timeoutMs} ms; got: ${JSON.stringify(this.received)}`,
          ),
        );
      }, timeoutMs);
      if (!check()) this.waiters.add(onData);
    });
  }
}

/** A request head: request line, `Host`, the given headers, and the empty line. */
export function head(
  requestLine: string,
  headers: Record<string, string | number> = {},
): string {
  return [
    requestLine + ' HTTP/1.1',
    'Host: 127.0.0.1',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    '',
    '',
  ].join('\r\n');
}

/** One chunk of a `Transfer-Encoding: chunked` body. */
export const chunk = (data: string) =>
  `${Buffer.byteLength(data).toString(16)}\r\n${data}\r\n`;
