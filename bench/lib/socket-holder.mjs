// A client process that opens many idle `/auth` sockets, the way waiting browsers
// do, and holds them until told to close. Several of these share the sockets of
// one memory measurement, so that no client process needs more file descriptors
// than the machine allows one process.
//   parent -> { type: 'open', url, logins: [{ token, secret }], concurrency }
//   child  -> { type: 'opened', connected, failed, pending, firstError }
//   parent -> { type: 'close' } -> child exits
import { io } from 'socket.io-client';
import { nextClientIp } from './updates.mjs';

const sockets = [];

process.on('message', async (message) => {
  if (message?.type === 'open') {
    const result = await openAll(message);
    process.send({ type: 'opened', ...result });
  } else if (message?.type === 'close') {
    for (const socket of sockets) socket.close();
    setTimeout(() => process.exit(0), 100);
  }
});
// The parent going away must not leave thousands of sockets open.
process.on('disconnect', () => process.exit(0));

async function openAll({ url, logins, concurrency = 100 }) {
  let next = 0;
  let connected = 0;
  let failed = 0;
  let pending = 0;
  let firstError;
  async function worker() {
    while (next < logins.length) {
      const login = logins[next++];
      const outcome = await openOne(url, login);
      if (outcome.ok) {
        connected++;
        if (outcome.pending) pending++;
      } else {
        failed++;
        firstError ??= outcome.error;
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { connected, failed, pending, firstError };
}

/** Resolves once the socket is in its room and has been told "pending" (or fails after 10 s). */
function openOne(url, auth) {
  return new Promise((resolve) => {
    const socket = io(`${url}/auth`, {
      auth,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: 10_000,
      // Each socket a browser of its own: one client address may hold only a few dozen sockets.
      extraHeaders: { 'X-Forwarded-For': nextClientIp() },
    });
    const timer = setTimeout(
      () => finish({ ok: false, error: 'no "pending" within 10 s' }),
      10_000,
    );
    let done = false;
    function finish(outcome) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (outcome.ok) sockets.push(socket);
      else socket.close();
      resolve(outcome);
    }
    socket.on('status', (event) => {
      if (event?.status === 'pending') finish({ ok: true, pending: true });
    });
    socket.on('connect_error', (error) =>
      finish({ ok: false, error: error.message }),
    );
  });
}
