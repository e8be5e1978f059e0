import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually } from './http.js';
import { freePort } from './redis.js';

/** Debian's nginx-light puts it here; .ci/run installs it when it is missing. */
export const NGINX = '/usr/sbin/nginx';

const DEPLOY_CONFIG = fileURLToPath(
  new URL('../../deploy/nginx.conf', import.meta.url),
);

export interface RunningNginx {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * A throw-away nginx (never the system service) running the repository's
 * deploy/nginx.conf, with its upstream pointed at `upstreamPort` on 127.0.0.1
 * and listening on a free loopback port, from a temporary prefix of its own.
 * Fails, rather than skips, when nginx is not installed.
 */
export async function startNginx(upstreamPort: number): Promise<RunningNginx> {
  if (!existsSync(NGINX))
    throw new Error(
      `nginx is missing (${NGINX}): install Debian's nginx-light (apt-get install -y nginx-light; .ci/run does it when it is missing)`,
    );
  const port = await freePort();
  const prefix = await mkdtemp(join(tmpdir(), 'tqa-nginx-'));
  const site = rewrite(await readFile(DEPLOY_CONFIG, 'utf8'), [
    [/^(\s*)server app:8887\b/m, `$1server 127.0.0.1:${upstreamPort}`],
    [/^(\s*)listen 8887;/m, `$1listen 127.0.0.1:${port};`],
  ]);
  await writeFile(join(prefix, 'site.conf'), site);
  const temp = ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'];
  await Promise.all(temp.map((name) => mkdir(join(prefix, name))));
  // One foreground process (no master, no workers switching user): nothing to find and stop afterwards but this child.
  await writeFile(
    join(prefix, 'nginx.conf'),
    [
      'daemon off;',
      'master_process off;',
      `pid ${join(prefix, 'nginx.pid')};`,
      `error_log ${join(prefix, 'error.log')} warn;`,
      'events { worker_connections 64; }',
      'http {',
      '  access_log off;',
      ...temp.map(
        (name) =>
          `  ${name === 'body' ? 'client_body' : name}_temp_path ${join(prefix, name)};`,
      ),
      `  include ${join(prefix, 'site.conf')};`,
      '}',
      '',
    ].join('\n'),
  );
  const child = spawn(
    NGINX,
    [
      '-p',
      prefix,
      '-c',
      join(prefix, 'nginx.conf'),
      '-e',
      join(prefix, 'error.log'),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => resolve()),
  );
  const close = async () => {
    stop(child);
    await exited;
    await rm(prefix, { recursive: true, force: true });
  };
  try {
    await eventually(async () => {
      if (child.exitCode !== null)
        throw new Error(
          `nginx exited (${child.exitCode}): ${stderr}${await readFile(join(prefix, 'error.log'), 'utf8').catch(() => '')}`,
        );
      await get(`http://127.0.0.1:${port}`, '/health');
    });
  } catch (error) {
    await close();
    throw error;
  }
  return { url: `http://127.0.0.1:${port}`, port, close };
}

function rewrite(text: string, replacements: [RegExp, string][]): string {
  return replacements.reduce((result, [pattern, replacement]) => {
    if (!pattern.test(result))
      throw new Error(
        `deploy/nginx.conf has no line matching ${pattern}: update test/support/nginx.ts`,
      );
    return result.replace(pattern, replacement);
  }, text);
}

function stop(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null)
    child.kill('SIGTERM');
}

/** A GET of exactly `path`, unnormalized (fetch would resolve dots and re-encode). */
export function get(
  baseUrl: string,
  path: string,
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const call = request(
      { host: hostname, port, path, method: 'GET', agent: false },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body }),
        );
        response.on('error', reject);
      },
    );
    call.on('error', reject);
    call.end();
  });
}
