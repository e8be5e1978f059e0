#!/usr/bin/env node
// Prints a new private JWK set for OIDC_JWKS / OIDC_JWKS_FILE: an RSA-2048
// key (RS256) and an EC P-256 key (ES256), each with a dated kid.
//
//   npm run keys > jwks.json                 # OIDC_JWKS_FILE=jwks.json
//   npm run keys -- --one-line               # one line, for OIDC_JWKS in .env
//   npm run keys -- --ec                     # only an EC key: the next ES256 key of a rotation
//
// The same keys the service generates for itself outside production
// (generateJwks in src/oidc/oidc-keys.ts); kept apart so that it runs without a build.
import { generateKeyPairSync, randomBytes } from 'node:crypto';

const args = new Set(process.argv.slice(2));
const unknown = [...args].filter(
  (arg) => !['--one-line', '--ec', '--rsa'].includes(arg),
);
if (unknown.length) {
  console.error(
    `Unknown option ${unknown[0]}. Usage: npm run keys [-- --one-line] [--ec | --rsa]`,
  );
  process.exit(2);
}
const stamp = new Date().toISOString().slice(0, 10);
const kid = (alg) =>
  `${alg.toLowerCase()}-${stamp}-${randomBytes(4).toString('hex')}`;
const keys = [];
if (!args.has('--ec'))
  keys.push({
    ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      format: 'jwk',
    }),
    kid: kid('RS256'),
    alg: 'RS256',
    use: 'sig',
  });
if (!args.has('--rsa'))
  keys.push({
    ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      format: 'jwk',
    }),
    kid: kid('ES256'),
    alg: 'ES256',
    use: 'sig',
  });
process.stdout.write(
  `${JSON.stringify({ keys }, null, args.has('--one-line') ? undefined : 2)}\n`,
);
