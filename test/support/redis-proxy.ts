import { createServer, type Server, type Socket, connect } from 'node:net';
import type { AddressInfo } from 'node:net';

interface StallTrigger {
  matches: (command: Buffer) => boolean;
  forMs: number;
  fired: () => void;
}

/**
 * A TCP proxy in front of a Redis, for faults SIGSTOP cannot aim: it can hold
 * back one connection's replies for a while, from the moment that connection
 * sends a given command, while still passing every command on at once. Redis
 * then runs what it was sent and the client, waiting for the replies, times
 * out: "Redis did it, the caller thinks it failed". Or it cuts its clients
 * off from a Redis that others still reach.
 */
export class RedisReplyStallingProxy {
  private trigger?: StallTrigger;
  private readonly connections = new Set<Socket>();
  private cut = false;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(target: { host: string; port: number }) {
    const proxy: { current?: RedisReplyStallingProxy } = {};
    const server = createServer((client) =>
      proxy.current!.forward(client, target),
    );
    await new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', resolve),
    );
    const { port } = server.address() as AddressInfo;
    proxy.current = new RedisReplyStallingProxy(
      server,
      `redis://127.0.0.1:${port}`,
    );
    return proxy.current;
  }

  /**
   * The next connection to send a command that `matches` gets no replies for
   * `forMs`, then all of them at once. Resolves once they were let through.
   */
  stallRepliesAfter(
    matches: (command: Buffer) => boolean,
    forMs: number,
  ): Promise<void> {
    return new Promise((resolve) => {
      this.trigger = { matches, forMs, fired: resolve };
    });
  }

  /**
   * Redis is out of reach for its clients behind this proxy (a network fault
   * of one instance): every connection is dropped, and new ones are closed at
   * once, until the returned function is called.
   */
  cutOff(): () => void {
    this.cut = true;
    for (const connection of this.connections) connection.destroy();
    return () => {
      this.cut = false;
    };
  }

  async close(): Promise<void> {
    for (const connection of this.connections) connection.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private forward(
    client: Socket,
    target: { host: string; port: number },
  ): void {
    if (this.cut) {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    this.connections.add(client).add(upstream);
    let held: Buffer[] | undefined;
    client.on('data', (chunk: Buffer) => {
      const trigger = this.trigger;
      if (trigger && !held && trigger.matches(chunk)) {
        this.trigger = undefined;
        held = [];
        setTimeout(() => {
          for (const reply of held ?? []) client.write(reply);
          held = undefined;
          trigger.fired();
        }, trigger.forMs);
      }
      upstream.write(chunk);
    });
    upstream.on('data', (reply: Buffer) => {
      if (held) held.push(reply);
      else client.write(reply);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.connections.delete(client);
      this.connections.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  }
}
