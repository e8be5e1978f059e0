#!/usr/bin/env node
// `npm run example:oidc`: the service in demo mode (no bot) on :8887 with one
// OpenID Connect client, and the example site on :8888 that logs in through it.
// Open http://localhost:8888, click "Log in with Telegram", and play Telegram's
// part with the command the login page shows (`npm run simulate -- '<link>'`).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startSite } from './site.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SERVICE_PORT = Number(process.env.EXAMPLE_SERVICE_PORT ?? 8887);
const SITE_PORT = Number(process.env.EXAMPLE_SITE_PORT ?? 8888);
const issuer = `http://localhost:${SERVICE_PORT}`;
const siteUrl = `http://localhost:${SITE_PORT}`;
const client = {
  client_id: 'example-site',
  // A new secret per run: the service and the site are started together.
  client_secret: randomBytes(32).toString('base64url'),
  client_name: 'Example Site',
  redirect_uris: [`${siteUrl}/callback`],
  post_logout_redirect_uris: [`${siteUrl}/`],
  grant_types: ['authorization_code', 'refresh_token'],
};

const service = spawn(process.execPath, ['dist/app/main.js'], {
  cwd: ROOT,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: {
    ...process.env,
    // Demo mode whatever a .env says (the service lets the environment win, and an empty variable is unset):
    // no bot, everything in memory, this one client.
    NODE_ENV: 'development',
    BOT_TOKEN: '',
    REDIS_URL: '',
    HOST: '127.0.0.1',
    PORT: String(SERVICE_PORT),
    PUBLIC_URL: issuer,
    OIDC_ISSUER: issuer,
    APP_NAME: process.env.APP_NAME ?? 'Telegram QR Auth (demo)',
    OIDC_CLIENTS: JSON.stringify([client]),
    OIDC_CLIENTS_FILE: '',
  },
});
let failed = false;
const stop = () => service.kill('SIGTERM');
process.on('SIGINT', stop).on('SIGTERM', stop);
service.on('exit', (code) => process.exit(failed ? 1 : (code ?? 0)));

for (let tries = 0; ; tries++) {
  const up = await fetch(`${issuer}/health`).then(
    (r) => r.ok,
    () => false,
  );
  if (up) break;
  if (tries > 150) {
    console.error('The service did not start; see its output above.');
    stop();
    process.exit(1);
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
}

try {
  await startSite({
    issuer,
    clientId: client.client_id,
    clientSecret: client.client_secret,
    url: siteUrl,
    port: SITE_PORT,
  });
} catch (error) {
  console.error(
    `The example site could not listen on ${SITE_PORT} (${error.message}); set EXAMPLE_SITE_PORT to another port.`,
  );
  failed = true;
  stop();
}
// The command the login page shows targets :8887; elsewhere, simulate needs the service's URL.
const simulate =
  SERVICE_PORT === 8887
    ? "npm run simulate -- '<link>'"
    : `npm run simulate -- '<link>' --url ${issuer}`;
if (!failed)
  console.log(`
  Example site: ${siteUrl}  (logs in through ${issuer}/.well-known/openid-configuration)
  1. Open ${siteUrl} and click "Log in with Telegram".
  2. The service's page shows a QR code and, in demo mode, a command: run it in another terminal
     (${simulate}) to play Telegram's part.
  3. The browser comes back to the site with the claims of the ID token and userinfo.
  Ctrl-C stops both.
`);
