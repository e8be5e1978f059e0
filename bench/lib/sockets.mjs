// socket.io-client as the login page uses it, reduced to what the bench times.
import { io } from 'socket.io-client';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { withTimeout } from './processes.mjs';
import { nextClientIp } from './updates.mjs';

/**
 * Opens an `/auth` socket that waits like a browser: resolves with the socket
 * once the server has put it in its room and said "pending". Every later
 * `status` event goes to `onStatus(event)`.
 */
export function openWaitingSocket(baseUrl, auth, onStatus, timeoutMs = 10_000) {
  return new Promise((resolve, reject) => {
    const socket = io(`${baseUrl}/auth`, {
      auth,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: timeoutMs,
      // Each socket a browser of its own, as for HTTP: the per-IP socket cap stays at its default.
      extraHeaders: { 'X-Forwarded-For': nextClientIp() },
    });
    let waiting = true;
    const timer = setTimeout(
      () => fail(new Error('no "pending" status in time')),
      timeoutMs,
    );
    function fail(error) {
      if (!waiting) return;
      waiting = false;
      clearTimeout(timer);
      socket.close();
      reject(error);
    }
    socket.on('status', (event, ack) => {
      // As the page does: the server takes a result once a socket has acknowledged it.
      ack?.();
      if (waiting && event?.status === 'pending') {
        waiting = false;
        clearTimeout(timer);
        resolve(socket);
      } else if (!waiting) {
        onStatus(event);
      }
    });
    socket.on('connect_error', (error) =>
      fail(new Error(`connect_error: ${error.message}`)),
    );
  });
}

const HOLDER = fileURLToPath(new URL('./socket-holder.mjs', import.meta.url));

/**
 * Opens one idle socket per login from `processes` client processes (each
 * holding its share), and resolves once all are waiting in their rooms.
 * Returns { connected, failed, firstError, close() }.
 */
export async function holdIdleSockets(baseUrl, logins, processes) {
  const share = Math.ceil(logins.length / processes);
  const children = [];
  for (let i = 0; i < processes; i++) {
    const slice = logins.slice(i * share, (i + 1) * share);
    if (slice.length === 0) break;
    const child = fork(HOLDER, [], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const opened = new Promise((resolve) => child.once('message', resolve));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.send({ type: 'open', url: baseUrl, logins: slice, concurrency: 50 });
    children.push({ child, opened, exited });
  }
  const results = await withTimeout(
    Promise.all(children.map(({ opened }) => opened)),
    Math.max(60_000, logins.length * 10),
    'client processes did not finish opening their sockets',
  );
  return {
    connected: results.reduce((sum, result) => sum + result.connected, 0),
    failed: results.reduce((sum, result) => sum + result.failed, 0),
    firstError: results.find((result) => result.firstError)?.firstError,
    async close() {
      for (const { child } of children)
        if (child.connected) child.send({ type: 'close' });
      await Promise.race([
        Promise.all(children.map(({ exited }) => exited)),
        new Promise((resolve) => setTimeout(resolve, 5000)),
      ]);
      for (const { child } of children)
        if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
