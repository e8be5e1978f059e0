import { afterEach, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import request from 'supertest';
import type { Socket } from 'socket.io-client';
import { type RunningApp, startApp } from './support/app.js';
import {
  closeSockets,
  connectAuthSocket,
  waitForStatus,
} from './support/socket.js';

const SCRIPT = fileURLToPath(
  new URL('../scripts/simulate.mjs', import.meta.url),
);
const run = promisify(execFile);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `npm run simulate -- …`, run outside the repository so that no developer's
 * .env is read. `clockMs` freezes the script's Date.now, to run it twice "at
 * the same instant" without racing the real clock.
 */
async function simulate(
  url: string,
  args: string[],
  { clockMs }: { clockMs?: number } = {},
): Promise<Run> {
  const nodeArgs =
    clockMs === undefined
      ? []
      : ['--import', `data:text/javascript,Date.now=()=>${clockMs}`];
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [...nodeArgs, SCRIPT, ...args],
      { cwd: tmpdir(), env: { PATH: process.env.PATH, SIMULATE_URL: url } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as Partial<Run>;
    if (typeof failure.code !== 'number') throw error;
    return {
      code: failure.code,
      stdout: failure.stdout ?? '',
      stderr: failure.stderr ?? '',
    };
  }
}

describe('npm run simulate (demo mode, no bot)', () => {
  let service: RunningApp;
  const sockets: Socket[] = [];

  afterEach(async () => {
    closeSockets(...sockets.splice(0));
    await service.close();
  });

  const waitingLogin = async () => {
    const { body } = await request(service.url).post('/auth/token').expect(201);
    const socket = await connectAuthSocket(service.url, {
      token: body.token,
      secret: body.secret,
    });
    sockets.push(socket);
    await waitForStatus(socket, 'pending');
    return {
      ...(body as { token: string; deepLink: string; matchCode?: string }),
      socket,
    };
  };

  it('completes a login from the token alone and says so', async () => {
    service = await startApp();
    const { token, socket } = await waitingLogin();
    const result = await simulate(service.url, [token]);
    expect(result).toEqual({
      code: 0,
      stdout:
        '/start: logged in; the browser now shows Demo (Telegram user 100000001).\n',
      stderr: '',
    });
    expect((await waitForStatus(socket, 'authenticated')).user).toMatchObject({
      first_name: 'Demo',
    });
  });

  it('acts on two runs made at the same instant', async () => {
    service = await startApp();
    const first = await waitingLogin();
    const second = await waitingLogin();
    const clockMs = Date.UTC(2026, 0, 1, 12);
    for (const { token } of [first, second]) {
      const result = await simulate(service.url, [token], { clockMs });
      expect(result).toMatchObject({
        code: 0,
        stdout: expect.stringContaining('/start: logged in'),
      });
    }
    await waitForStatus(first.socket, 'authenticated');
    await waitForStatus(second.socket, 'authenticated');
  });

  it('exits 1 and says why for a token nobody is waiting for, and for a used one', async () => {
    service = await startApp();
    const madeUp = await simulate(service.url, ['A'.repeat(43)]);
    expect(madeUp).toEqual({
      code: 1,
      stdout: '',
      stderr:
        '/start: unknown token; no login is waiting for it (mistyped, already used, or scanned by another Telegram user).\n',
    });

    const { token } = await waitingLogin();
    expect((await simulate(service.url, [token])).code).toBe(0);
    const used = await simulate(service.url, [token]);
    expect(used.code).toBe(1);
    expect(used.stderr).toMatch(/^\/start: unknown token/);
  });

  it('exits 1 for an expired login', async () => {
    service = await startApp({ TOKEN_TTL_SECONDS: '1' });
    const { token, socket } = await waitingLogin();
    await waitForStatus(socket, 'expired', 3000);
    const result = await simulate(service.url, [token]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^\/start: expired;/);
  });

  describe('with LOGIN_CONFIRMATION=button', () => {
    it('takes any link with start=, scans, then confirms on a second run', async () => {
      service = await startApp({ LOGIN_CONFIRMATION: 'button' });
      const { token, socket } = await waitingLogin();
      const link = `https://demo.invalid/?start=${token}`;

      const scanned = await simulate(service.url, [link]);
      expect(scanned).toEqual({
        code: 0,
        stdout:
          '/start: scanned; the login waits for confirmation in Telegram. Answer with --confirm, --deny or --code NN.\n',
        stderr: '',
      });
      await waitForStatus(socket, 'scanned');

      const confirmed = await simulate(service.url, [link, '--confirm']);
      expect(confirmed).toEqual({
        code: 0,
        stdout: [
          '/start: already scanned and still waiting for confirmation; the bot asked again.',
          '--confirm: confirmed; the browser now shows Demo (Telegram user 100000001).',
          '',
        ].join('\n'),
        stderr: '',
      });
      await waitForStatus(socket, 'authenticated');
    });

    it('says a press by another Telegram user changed nothing, and exits 1', async () => {
      service = await startApp({ LOGIN_CONFIRMATION: 'button' });
      const { token } = await waitingLogin();
      await simulate(service.url, [token]);
      const result = await simulate(service.url, [
        token,
        '--deny',
        '--user-id',
        '7',
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        [
          '/start: unknown token; no login is waiting for it (mistyped, already used, or scanned by another Telegram user).',
          '--deny: not sent; the login is not waiting for it.',
          '',
        ].join('\n'),
      );
    });
  });

  describe('with LOGIN_CONFIRMATION=code', () => {
    it('takes the deep link and presses the right code', async () => {
      service = await startApp({ LOGIN_CONFIRMATION: 'code' });
      const { deepLink, matchCode, socket } = await waitingLogin();
      const result = await simulate(service.url, [
        deepLink,
        '--code',
        matchCode!,
        '--first-name',
        'Grace',
      ]);
      expect(result.stdout).toBe(
        [
          '/start: scanned; the login waits for confirmation in Telegram.',
          `--code ${matchCode}: confirmed; the browser now shows Grace (Telegram user 100000001).`,
          '',
        ].join('\n'),
      );
      expect(result.code).toBe(0);
      expect((await waitForStatus(socket, 'authenticated')).user).toMatchObject(
        { first_name: 'Grace' },
      );
    });

    it('exits 1 on a wrong code, which denies the login', async () => {
      service = await startApp({ LOGIN_CONFIRMATION: 'code' });
      const { token, matchCode, socket } = await waitingLogin();
      const wrong = matchCode === '10' ? '11' : '10';
      const result = await simulate(service.url, [token, '--code', wrong]);
      expect(result).toEqual({
        code: 1,
        stdout:
          '/start: scanned; the login waits for confirmation in Telegram.\n',
        stderr: `--code ${wrong}: wrong code: ${wrong} is not the number on the login page, so the login is denied.\n`,
      });
      await waitForStatus(socket, 'denied');
    });
  });

  it.each([
    [['not-a-token'], 'not a login token'],
    [['https://demo.invalid/?start='], 'not a login token'],
    [[], 'the token or link is missing'],
    [['A'.repeat(43), '--confrim'], 'unknown option --confrim'],
    [['A'.repeat(43), '--code', '7'], '--code takes the two digits'],
  ])('says how to use it for %j', async (args, problem) => {
    service = await startApp();
    const result = await simulate(service.url, args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(problem);
    expect(result.stderr).toContain('Usage');
  });
});
