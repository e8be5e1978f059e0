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

/** `npm run simulate -- …`, run outside the repository so that no developer's .env is read. */
const simulate = (url: string, ...args: string[]) =>
  run(process.execPath, [SCRIPT, ...args], {
    cwd: tmpdir(),
    env: { PATH: process.env.PATH, SIMULATE_URL: url },
  });

describe('npm run simulate (demo mode, no bot)', () => {
  let service: RunningApp;
  let socket: Socket | undefined;

  afterEach(async () => {
    closeSockets(socket);
    await service.close();
  });

  const waitingLogin = async () => {
    const { body } = await request(service.url).post('/auth/token').expect(201);
    socket = await connectAuthSocket(service.url, {
      token: body.token,
      secret: body.secret,
    });
    return body as { token: string; deepLink: string; matchCode?: string };
  };

  it('completes a login from the token alone', async () => {
    service = await startApp();
    const { token } = await waitingLogin();
    const { stdout } = await simulate(service.url, token);
    expect(stdout).toContain('Sent "/start <token>"');
    expect((await waitForStatus(socket!, 'authenticated')).user).toMatchObject({
      first_name: 'Demo',
    });
  });

  it('takes the deep link and presses the code button in code mode', async () => {
    service = await startApp({ LOGIN_CONFIRMATION: 'code' });
    const { deepLink, matchCode } = await waitingLogin();
    await simulate(
      service.url,
      deepLink,
      '--code',
      matchCode!,
      '--first-name',
      'Grace',
    );
    expect((await waitForStatus(socket!, 'authenticated')).user).toMatchObject({
      first_name: 'Grace',
    });
  });

  it('says how to use it when the token is missing or malformed', async () => {
    service = await startApp();
    await expect(simulate(service.url, 'not-a-token')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Usage'),
    });
  });
});
