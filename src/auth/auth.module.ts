import { Module } from '@nestjs/common';
import { ProfilePhotoLinksModule } from '../photos/profile-photo-links.module.js';
import { QrModule } from '../qr/qr.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { AuthController } from './auth.controller.js';
import { AuthGateway } from './auth.gateway.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { LoginEventsService } from './login-events.service.js';
import { LoginTokenService } from './login-token.service.js';
import { LoginService } from './login.service.js';
import { SessionsController } from './sessions.controller.js';
import { SessionsGateway } from './sessions.gateway.js';
import { SocketAdmission } from './socket-admission.js';

/**
 * Tokens, polling, the Socket.IO gateway and sessions. The login store and the
 * login policy come from {@link TelegramQrAuthModule}, where a host may replace them.
 */
@Module({
  imports: [QrModule, SessionsModule, ProfilePhotoLinksModule],
  controllers: [AuthController, SessionsController],
  providers: [
    LoginEventsService,
    LoginService,
    LoginTokenService,
    JwtAuthGuard,
    SocketAdmission,
    AuthGateway,
    SessionsGateway,
  ],
  exports: [
    LoginService,
    LoginTokenService,
    SessionsModule,
    JwtAuthGuard,
    LoginEventsService,
    AuthGateway,
  ],
})
export class AuthModule {}
