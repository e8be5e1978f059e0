import type { LoggerService, LogLevel } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/app/app.factory.js';
import { environmentSchema } from '../../src/app/config/env.validation.js';

export interface StartAppOptions {
  /** Default: false (silent). Pass a {@link CapturingLogger} to read what the app logs. */
  logger?: LoggerService | LogLevel[] | false;
  /** The HTTP server's request timeout; shorter than the service's so that a test of it waits a second, not ten. */
  requestTimeoutMs?: number;
  /** Default: any free port. For a test that must name the URL in the configuration (an OpenID issuer). */
  port?: number;
}

export interface RunningApp {
  app: NestExpressApplication;
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

/**
 * Every variable the service reads. Those a test does not give are removed
 * while the app is created, so that the developer's shell cannot change what a test checks.
 */
export const SERVICE_VARIABLES: readonly string[] = [
  ...new Set([
    'NODE_ENV',
    ...Object.keys(environmentSchema.describe().keys ?? {}),
  ]),
];

/**
 * Applied unless a test names the variable itself (even as undefined, which
 * means "the app's own default"): tests that are not about rate limits create
 * more logins from 127.0.0.1 than the production limits allow.
 */
export const TEST_DEFAULTS: Readonly<Record<string, string>> = {
  RATE_LIMIT_TOKEN: '100000',
  RATE_LIMIT_POLL: '100000',
};

// process.env is global: apps are created one at a time even when a test starts several at once.
let creating: Promise<unknown> = Promise.resolve();

/**
 * Boots the real app (`createApp`) on 127.0.0.1 and a free port with exactly
 * the given environment (plus NODE_ENV=test and {@link TEST_DEFAULTS}).
 * process.env is restored afterwards.
 */
export async function startApp(
  env: Record<string, string | undefined> = {},
  options: StartAppOptions = {},
): Promise<RunningApp> {
  const app = await serialized(() =>
    withEnvironment(env, () =>
      createApp({
        ignoreEnvFile: true,
        logger: options.logger ?? false,
        requestTimeoutMs: options.requestTimeoutMs,
      }),
    ),
  );
  try {
    await app.listen(options.port ?? 0, '127.0.0.1');
  } catch (error) {
    await app.close();
    throw error;
  }
  const { port } = app.getHttpServer().address() as AddressInfo;
  let closed = false;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
    },
  };
}

/**
 * Runs `create` with process.env set to exactly the given service variables
 * (others untouched), then puts process.env back as it was, including the
 * defaults ConfigModule writes into it after validation.
 */
export async function withEnvironment<T>(
  env: Record<string, string | undefined>,
  create: () => Promise<T>,
): Promise<T> {
  const saved = { ...process.env };
  for (const name of SERVICE_VARIABLES) delete process.env[name];
  process.env.NODE_ENV = 'test';
  for (const [name, value] of Object.entries({ ...TEST_DEFAULTS, ...env })) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  try {
    return await create();
  } finally {
    for (const name of Object.keys(process.env))
      if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}

function serialized<T>(task: () => Promise<T>): Promise<T> {
  const run = creating.then(task, task);
  creating = run.catch(() => undefined);
  return run;
}

/** A Nest logger that keeps every line, so tests can check what would reach the logs. */
export class CapturingLogger implements LoggerService {
  readonly lines: { level: string; message: string }[] = [];

  log(message: unknown, ...rest: unknown[]): void {
    this.push('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.push('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.push('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.push('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.push('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.push('fatal', message, rest);
  }

  /** The error and warning lines, as in {@link text}. */
  get problems(): string {
    return this.lines
      .filter((line) => line.level === 'error' || line.level === 'warn')
      .map((line) => `${line.level}: ${line.message}`)
      .join('\n');
  }

  /** Everything logged, one line per call, with its context and any stack. */
  get text(): string {
    return this.lines
      .map((line) => `${line.level}: ${line.message}`)
      .join('\n');
  }

  private push(level: string, message: unknown, rest: unknown[]): void {
    const parts = [message, ...rest].map((part) => {
      if (part instanceof Error) return `${part.message}\n${part.stack ?? ''}`;
      if (typeof part === 'string') return part;
      try {
        return JSON.stringify(part);
      } catch {
        return String(part);
      }
    });
    this.lines.push({ level, message: parts.join(' ') });
  }
}

/**
 * For a test's failure that an instance may explain: `error` with the error
 * and warning lines each instance logged appended to its message.
 */
export function toldWithProblemsOf(
  instances: Record<string, CapturingLogger>,
): (error: unknown) => never {
  return (error) => {
    if (error instanceof Error)
      for (const [name, logger] of Object.entries(instances))
        error.message += `\n${name} logged:\n${logger.problems || '(nothing)'}`;
    throw error;
  };
}
