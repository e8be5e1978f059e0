import { Redis } from 'ioredis';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from './redis.js';
import { RedisProcesses, run } from './redis-processes.js';

/** The ACL user the TLS server knows (its `default` user is off, so nobody gets in without a password). */
export const TLS_REDIS_USER = 'tqa-tls';

/**
 * A redis-server that speaks TLS only (`--port 0`), with a certificate for
 * 127.0.0.1 from a CA of its own (made with `openssl`, in a temp folder that
 * stop() removes) and one ACL user with a password.
 */
export class TlsRedisServer {
  private constructor(
    private readonly processes: RedisProcesses,
    readonly port: number,
    readonly password: string,
  ) {}

  /** The CA's certificate (PEM): what a client must trust, e.g. through NODE_EXTRA_CA_CERTS. */
  get caFile(): string {
    return join(this.processes.dir, 'ca.pem');
  }

  /** `rediss://user:password@127.0.0.1:port`. */
  get url(): string {
    return `rediss://${TLS_REDIS_USER}:${this.password}@127.0.0.1:${this.port}`;
  }

  static async start(password: string): Promise<TlsRedisServer> {
    const processes = await RedisProcesses.create('redis-tls');
    try {
      const server = new TlsRedisServer(processes, await freePort(), password);
      await server.makeCertificates();
      await processes.start(
        server.port,
        [
          '--port',
          '0',
          '--tls-port',
          String(server.port),
          '--bind',
          '127.0.0.1',
          '--tls-cert-file',
          'server.pem',
          '--tls-key-file',
          'server.key',
          '--tls-ca-cert-file',
          'ca.pem',
          '--tls-auth-clients',
          'no',
          '--user',
          'default',
          'off',
          '--user',
          TLS_REDIS_USER,
          'on',
          `>${password}`,
          '~*',
          '&*',
          '+@all',
          '--save',
          '',
          '--appendonly',
          'no',
        ],
        () => server.answers(),
      );
      return server;
    } catch (error) {
      await processes.stopAll();
      throw error;
    }
  }

  /** A client of the test's own over TLS, trusting the CA. */
  async connect(): Promise<Redis> {
    return new Redis(this.url, {
      tls: { ca: await readFile(this.caFile) },
      maxRetriesPerRequest: 1,
    });
  }

  stop(): Promise<void> {
    return this.processes.stopAll();
  }

  private async answers(): Promise<boolean> {
    const client = await this.connect();
    client.on('error', () => undefined);
    try {
      return (await client.ping()) === 'PONG';
    } finally {
      client.disconnect();
    }
  }

  private async makeCertificates(): Promise<void> {
    const inDir = (name: string) => join(this.processes.dir, name);
    const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
    await run('openssl', [
      'req',
      '-x509',
      ...ecKey,
      '-nodes',
      '-keyout',
      inDir('ca.key'),
      '-out',
      inDir('ca.pem'),
      '-days',
      '2',
      '-subj',
      '/CN=Telegram QR Auth test CA',
    ]);
    await run('openssl', [
      'req',
      ...ecKey,
      '-nodes',
      '-keyout',
      inDir('server.key'),
      '-out',
      inDir('server.csr'),
      '-subj',
      '/CN=127.0.0.1',
    ]);
    await writeFile(inDir('server.ext'), 'subjectAltName=IP:127.0.0.1\n');
    await run('openssl', [
      'x509',
      '-req',
      '-in',
      inDir('server.csr'),
      '-CA',
      inDir('ca.pem'),
      '-CAkey',
      inDir('ca.key'),
      '-CAcreateserial',
      '-out',
      inDir('server.pem'),
      '-days',
      '2',
      '-extfile',
      inDir('server.ext'),
    ]);
  }
}
