import type { io } from 'socket.io-client';

export type SocketIoFactory = typeof io;

/**
 * The Socket.IO client that our own server serves at /socket.io/socket.io.js
 * (a classic script, loaded before this module, that defines `io`). Undefined
 * when that script could not load: the page then polls.
 */
export function socketIoClient(): SocketIoFactory | undefined {
  const candidate = (globalThis as { io?: unknown }).io;
  return typeof candidate === 'function'
    ? (candidate as SocketIoFactory)
    : undefined;
}
