import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { QrModule } from '../qr/qr.module.js';
import { AuthController } from './auth.controller.js';
import { AuthGateway } from './auth.gateway.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { LoginEventsService } from './login-events.service.js';
import { LoginTokenService } from './login-token.service.js';
import { LoginService } from './login.service.js';
import { SessionService } from './session.service.js';
import { SocketAdmission } from './socket-admission.js';
import type { AuthSettings } from '../interfaces/settings.interface.js';
import { AUTH_SETTINGS } from '../telegram-qr-auth.constants.js';

/**
 * Tokens, polling, the Socket.IO gateway and sessions. The login store and the
 * login policy come from {@link TelegramQrAuthModule}, where a host may replace them.
 */
@Module({
  imports: [
    QrModule,
    JwtModule.registerAsync({
      inject: [AUTH_SETTINGS],
      useFactory: (settings: AuthSettings) => ({
        // A KeyObject, not the string: given a string, jsonwebtoken first tries to parse it as a PEM
        // key (and throws) on every sign and verify, ~0.7 ms each, the largest cost of a delivery.
        secret: createSecretKey(Buffer.from(settings.jwtSecret, 'utf8')),
        signOptions: { algorithm: 'HS256', expiresIn: settings.jwtTtlSeconds },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    LoginEventsService,
    LoginService,
    LoginTokenService,
    SessionService,
    JwtAuthGuard,
    SocketAdmission,
    AuthGateway,
  ],
  exports: [
    LoginService,
    LoginTokenService,
    SessionService,
    JwtAuthGuard,
    LoginEventsService,
    AuthGateway,
  ],
})
export class AuthModule {}
