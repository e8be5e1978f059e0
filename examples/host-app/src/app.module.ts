import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { type OidcJwks, TelegramQrAuthModule } from 'telegram-qr-auth';
import { LoginAuditService } from './login-audit.service.js';
import { ProfileController } from './profile.controller.js';
import { UsersLoginPolicy } from './users/users-login.policy.js';
import { UsersModule } from './users/users.module.js';

const jwksFrom = (json: string | undefined): OidcJwks | undefined =>
  json ? (JSON.parse(json) as OidcJwks) : undefined;

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true }),
    EventEmitterModule.forRoot(),
    UsersModule,
    TelegramQrAuthModule.forRootAsync({
      // The policy injects UsersService: its module goes in `imports`.
      imports: [UsersModule],
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        appName: 'Example Shop',
        bot: {
          token: config.get<string>('BOT_TOKEN'),
          username: config.get<string>('BOT_USERNAME'),
          webhookSecret: config.get<string>('WEBHOOK_SECRET'),
          apiRoot: config.get<string>('TELEGRAM_API_ROOT'),
        },
        // The keys that sign access tokens (ES256), published at /jwks; unset, they are generated
        // at each start (fine for this example, not for production: `npm run keys` makes a set).
        oidc: { jwks: jwksFrom(config.get<string>('OIDC_JWKS')) },
      }),
      loginPolicy: UsersLoginPolicy,
      routePrefix: 'login',
    }),
  ],
  controllers: [ProfileController],
  providers: [LoginAuditService],
})
export class AppModule {}
