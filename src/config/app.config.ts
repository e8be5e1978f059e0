import { registerAs } from '@nestjs/config';
import { validateEnvironment } from './env.validation.js';

export const appConfig = registerAs('app', () => {
  const env = validateEnvironment(process.env);
  return {
    environment: env.NODE_ENV,
    isProduction: env.NODE_ENV === 'production',
    port: env.PORT,
    appName: env.APP_NAME,
  };
});
