/** Socket.IO's own requests (long-polling transport) are held open by design: a drain must not wait for them. */
export const SOCKET_IO_PATH_PREFIX = '/socket.io/';

/** Of the shutdown bound, what is kept for closing the app (Socket.IO, Redis) after in-flight requests. */
export const CLOSE_RESERVE_MS = 1_000;
