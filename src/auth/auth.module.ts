import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { JwtModule } from '@nestjs/jwt';
import { authConfig } from '../config/index.js';
import { QrModule } from '../qr/qr.module.js';
import { LOGIN_STORE } from './auth.constants.js';
import { AuthController } from './auth.controller.js';
import { AuthGateway } from './auth.gateway.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { LoginEventsService } from './login-events.service.js';
import { LoginTokenService } from './login-token.service.js';
import { LoginService } from './login.service.js';
import { SessionService } from './session.service.js';
import { MemoryLoginStore } from './stores/memory-login.store.js';

@Module({
  imports: [
    QrModule,
    JwtModule.registerAsync({
      inject: [authConfig.KEY],
      useFactory: (config: ConfigType<typeof authConfig>) => ({
        secret: config.jwtSecret,
        signOptions: { algorithm: 'HS256', expiresIn: config.jwtTtlSeconds },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    { provide: LOGIN_STORE, useFactory: () => new MemoryLoginStore() },
    LoginEventsService,
    LoginService,
    LoginTokenService,
    SessionService,
    JwtAuthGuard,
    AuthGateway,
  ],
  exports: [LoginService, SessionService, JwtAuthGuard],
})
export class AuthModule {}
