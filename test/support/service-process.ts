import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from './redis.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUILD_CACHE = join(
  ROOT,
  'node_modules',
  '.cache',
  'telegram-qr-auth-service',
);
/** The service's entry point inside a build, as in the Dockerfile. */
const SERVICE_ENTRY = join('dist', 'app', 'main.js');

/**
 * Compiles src/ (as `nest build` does, with tsconfig.build.json) into a
 * directory of its own under this checkout's node_modules/.cache, once per
 * version of the sources, and returns that directory: `<dir>/dist/app/main.js`
 * is the service. Never the repository's dist/, which may be stale or being
 * rebuilt, and never a directory another checkout could share: each checkout
 * tests its own build against its own node_modules.
 */
export async function buildService(): Promise<string> {
  const directory = join(BUILD_CACHE, await sourceHash());
  if (existsSync(join(directory, SERVICE_ENTRY))) return directory;
  const partial = `${directory}.partial-${randomBytes(4).toString('hex')}`;
  await mkdir(partial, { recursive: true });
  try {
    // Beside the output, as in the repository: packages resolve, `../client` is the page and
    // `../locales` the bot's messages (read at start, so a catalogue's change needs no rebuild).
    await symlink(
      join(ROOT, 'node_modules'),
      join(partial, 'node_modules'),
      'dir',
    );
    await symlink(join(ROOT, 'client'), join(partial, 'client'), 'dir');
    await symlink(join(ROOT, 'locales'), join(partial, 'locales'), 'dir');
    // The service reads its version from it for the API docs.
    const { version } = JSON.parse(
      await readFile(join(ROOT, 'package.json'), 'utf8'),
    ) as { version: string };
    await writeFile(
      join(partial, 'package.json'),
      JSON.stringify({ type: 'module', version }),
    );
    await promisify(execFile)(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
        '-p',
        'tsconfig.build.json',
        '--outDir',
        join(partial, 'dist'),
      ],
      { cwd: ROOT },
    );
    await rename(partial, directory).catch(
      async (error: NodeJS.ErrnoException) => {
        // Another run built the same sources meanwhile.
        if (!existsSync(join(directory, SERVICE_ENTRY))) throw error;
      },
    );
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
  return directory;
}

async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  const files = [
    ...(await readdir(join(ROOT, 'src'), { recursive: true }))
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
      .map((file) => join(ROOT, 'src', file)),
    join(ROOT, 'tsconfig.json'),
    join(ROOT, 'tsconfig.build.json'),
    join(ROOT, 'package-lock.json'),
  ].sort();
  for (const file of files)
    hash
      .update(relative(ROOT, file))
      .update('\0')
      .update(await readFile(file))
      .update('\0');
  return hash.digest('hex').slice(0, 16);
}

export interface ServiceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Epoch ms. */
  at: number;
}

/** `node dist/app/main.js` running as a child process on a free loopback port. */
export interface ServiceProcess {
  url: string;
  child: ChildProcess;
  /** Lines written to stdout so far. */
  readonly stdout: string[];
  readonly stderr: string[];
  readonly exited: Promise<ServiceExit>;
  /** Resolves with the first stdout line (already written or to come) that matches. */
  waitForLine(
    predicate: (line: string) => boolean,
    timeoutMs?: number,
  ): Promise<string>;
  /** SIGKILL if it still runs; for cleanup. */
  kill(): Promise<void>;
}

/**
 * Starts the built service with exactly `env` (plus NODE_ENV=test, PORT and
 * PATH): nothing from the developer's shell or `.env` reaches it. Resolves
 * once `GET /health` answers 200.
 */
export async function spawnService(
  env: Record<string, string> = {},
  {
    maxOpenFiles,
    port: chosenPort,
  }: {
    /** `ulimit -n` for the service: how many file descriptors (sockets included) it may hold. */
    maxOpenFiles?: number;
    /** A port chosen beforehand, e.g. to name it in OIDC_ISSUER; a free one by default. */
    port?: number;
  } = {},
): Promise<ServiceProcess> {
  const directory = await buildService();
  const port = chosenPort ?? (await freePort());
  // `exec` keeps the pid, so signals sent to the child reach Node itself.
  const [command, args] =
    maxOpenFiles === undefined
      ? [process.execPath, [SERVICE_ENTRY]]
      : [
          'bash',
          [
            '-c',
            `ulimit -n ${maxOpenFiles} && exec "$0" "$@"`,
            process.execPath,
            SERVICE_ENTRY,
          ],
        ];
  const child = spawn(command, args, {
    cwd: directory,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const lineWaiters = new Set<(line: string) => void>();
  collectLines(child.stdout, (line) => {
    stdout.push(line);
    for (const waiter of [...lineWaiters]) waiter(line);
  });
  collectLines(child.stderr, (line) => stderr.push(line));
  const exited = new Promise<ServiceExit>((resolve) =>
    child.once('exit', (code, signal) =>
      resolve({ code, signal, at: Date.now() }),
    ),
  );

  const service: ServiceProcess = {
    url: `http://127.0.0.1:${port}`,
    child,
    stdout,
    stderr,
    exited,
    waitForLine(predicate, timeoutMs = 5000) {
      const seen = stdout.find(predicate);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const waiter = (line: string) => {
          if (!predicate(line)) return;
          clearTimeout(timer);
          lineWaiters.delete(waiter);
          resolve(line);
        };
        const timer = setTimeout(() => {
          lineWaiters.delete(waiter);
          reject(
            new Error(
              `no matching line on stdout within ${timeoutMs} ms; got:\n${stdout.join('\n')}`,
            ),
          );
        }, timeoutMs);
        lineWaiters.add(waiter);
      });
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null)
        child.kill('SIGKILL');
      await exited;
    },
  };

  const deadline = Date.now() + 15_000;
  for (;;) {
    const exit = await Promise.race([
      exited,
      new Promise<undefined>((resolve) =>
        setTimeout(() => resolve(undefined), 50),
      ),
    ]);
    if (exit)
      throw new Error(
        `the service exited (${exit.code ?? exit.signal}) while starting:\n${[...stdout, ...stderr].join('\n')}`,
      );
    const healthy = await fetch(`${service.url}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return service;
    if (Date.now() > deadline) {
      await service.kill();
      throw new Error(
        `the service did not answer /health within 15 s:\n${[...stdout, ...stderr].join('\n')}`,
      );
    }
  }
}

function collectLines(
  stream: NodeJS.ReadableStream,
  onLine: (line: string) => void,
): void {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line !== '') onLine(line);
  });
  stream.on('end', () => {
    if (rest !== '') onLine(rest);
  });
}
