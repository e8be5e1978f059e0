import { Module } from '@nestjs/common';
import { SigningKeysModule } from '../oidc/signing-keys.module.js';
import { SigningKeysService } from '../oidc/signing-keys.service.js';
import { QrModule } from '../qr/qr.module.js';
import {
  type AccessTokenKeys,
  AccessTokens,
  asymmetricAccessTokenKeys,
  hs256AccessTokenKeys,
} from './access-tokens.js';
import { AuthController } from './auth.controller.js';
import { AuthGateway } from './auth.gateway.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { LoginEventsService } from './login-events.service.js';
import { LoginTokenService } from './login-token.service.js';
import { LoginService } from './login.service.js';
import { SessionService } from './session.service.js';
import { SocketAdmission } from './socket-admission.js';
import type {
  AuthSettings,
  OidcSettings,
} from '../interfaces/settings.interface.js';
import { AUTH_SETTINGS, OIDC_SETTINGS } from '../telegram-qr-auth.constants.js';

/**
 * Tokens, polling, the Socket.IO gateway and sessions. The login store and the
 * login policy come from {@link TelegramQrAuthModule}, where a host may replace them.
 */
@Module({
  imports: [QrModule, SigningKeysModule],
  controllers: [AuthController],
  providers: [
    {
      provide: AccessTokens,
      inject: [AUTH_SETTINGS, OIDC_SETTINGS, SigningKeysService],
      useFactory: (
        auth: AuthSettings,
        oidc: OidcSettings,
        signingKeys: SigningKeysService,
      ) => {
        const { jwtAlgorithm, jwtSecret } = auth;
        let keys: Promise<AccessTokenKeys> | undefined;
        return new AccessTokens(
          () => {
            // Made once the signing keys are read; made again only after a failed read (Redis down).
            keys ??=
              jwtAlgorithm === 'HS256'
                ? Promise.resolve(hs256AccessTokenKeys(jwtSecret!))
                : signingKeys
                    .get()
                    .then((read) =>
                      asymmetricAccessTokenKeys(read, jwtAlgorithm),
                    );
            return keys.catch((error: unknown) => {
              keys = undefined;
              throw error;
            });
          },
          { issuer: oidc.issuer || undefined, ttlSeconds: auth.jwtTtlSeconds },
        );
      },
    },
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
