/**
 * Where a demo listens unless HOST says otherwise. A demo has no bot and no
 * webhook secret: anyone who reaches the port can post /start and log in as
 * any Telegram id, so it stays on this machine by default.
 */
export const DEMO_HOST = '127.0.0.1';

/**
 * The address to listen on: HOST when it is set; otherwise loopback in demo
 * mode, and undefined (every interface, IPv6 and IPv4) with a bot, as a
 * deployment behind a proxy or in a container needs.
 */
export function listenHost(
  host: string | undefined,
  demoMode: boolean,
): string | undefined {
  return host ?? (demoMode ? DEMO_HOST : undefined);
}
