import type { Socket } from 'socket.io-client';
import type { RunningApp } from './app.js';
import { createLogin, postUpdate } from './http.js';
import { connectAuthSocket, waitForStatus } from './socket.js';
import { newUser, startUpdate, type TestUser } from './telegram-updates.js';

/**
 * The promise of running several instances, in one step: the token and the
 * browser's socket on `home`, Telegram's update on `other`. Resolves with what
 * the socket heard once logged in, and who scanned. The socket is pushed onto
 * `sockets` for the suite to close. One instance may be both. `resultWithinMs`:
 * how long the socket may wait for its result (by default the tests' patience).
 */
export async function logInAcrossInstances(
  home: Pick<RunningApp, 'url'>,
  other: Pick<RunningApp, 'url'>,
  webhookSecret: string,
  sockets: Socket[],
  resultWithinMs?: number,
) {
  const login = await createLogin(home.url);
  const socket = await connectAuthSocket(home.url, login);
  sockets.push(socket);
  await waitForStatus(socket, 'pending');
  const user: TestUser = newUser({ first_name: 'Grace' });

  await postUpdate(
    other.url,
    startUpdate(login.token, user),
    webhookSecret,
  ).expect(200);

  return {
    result: await waitForStatus(socket, 'authenticated', resultWithinMs),
    user,
  };
}
