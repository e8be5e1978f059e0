import { registerAs } from '@nestjs/config';
import { randomBytes } from 'node:crypto';
import { validateEnvironment } from './env.validation.js';

export const authConfig = registerAs('auth', () => {
  const env = validateEnvironment(process.env);
  return {
    tokenTtlSeconds: env.TOKEN_TTL_SECONDS,
    confirmation: env.LOGIN_CONFIRMATION,
    // Outside production an unset secret gets a random one: sessions then end with the process.
    jwtSecret: env.JWT_SECRET ?? randomBytes(32).toString('base64url'),
    jwtSecretIsEphemeral: env.JWT_SECRET === undefined,
    jwtTtlSeconds: env.JWT_TTL_SECONDS,
  };
});
