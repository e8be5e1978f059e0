import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { JwtModule } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import type { Redis } from 'ioredis';
import { authConfig, redisConfig } from '../config/index.js';
import { QrModule } from '../qr/qr.module.js';
import { REDIS_CLIENT } from '../redis/redis.constants.js';
import { RedisModule } from '../redis/redis.module.js';
import { LOGIN_STORE } from './auth.constants.js';
import { AuthController } from './auth.controller.js';
import { AuthGateway } from './auth.gateway.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { LoginEventsService } from './login-events.service.js';
import { LoginTokenService } from './login-token.service.js';
import { LoginService } from './login.service.js';
import { SessionService } from './session.service.js';
import { MemoryLoginStore } from './stores/memory-login.store.js';
import { RedisLoginStore } from './stores/redis-login.store.js';

@Module({
  imports: [
    QrModule,
    RedisModule,
    JwtModule.registerAsync({
      inject: [authConfig.KEY],
      useFactory: (config: ConfigType<typeof authConfig>) => ({
        // A KeyObject, not the string: given a string, jsonwebtoken first tries to parse it as a PEM
        // key (and throws) on every sign and verify, ~0.7 ms each, the largest cost of a delivery.
        secret: createSecretKey(Buffer.from(config.jwtSecret, 'utf8')),
        signOptions: { algorithm: 'HS256', expiresIn: config.jwtTtlSeconds },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    {
      provide: LOGIN_STORE,
      inject: [REDIS_CLIENT, redisConfig.KEY],
      // With REDIS_URL every instance shares the logins; without it one process keeps them in memory.
      useFactory: (redis: Redis | null, config: ConfigType<typeof redisConfig>) =>
        redis ? new RedisLoginStore(redis, config.keyPrefix) : new MemoryLoginStore(),
    },
    LoginEventsService,
    LoginService,
    LoginTokenService,
    SessionService,
    JwtAuthGuard,
    AuthGateway,
  ],
  exports: [LoginService, SessionService, JwtAuthGuard, LoginEventsService, AuthGateway],
})
export class AuthModule {}
