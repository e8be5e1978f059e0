import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { TelegramQrAuthModule } from 'telegram-qr-auth';
import { LoginAuditService } from './login-audit.service.js';
import { ProfileController } from './profile.controller.js';
import { UsersLoginPolicy } from './users/users-login.policy.js';
import { UsersModule } from './users/users.module.js';

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
        jwt: { secret: config.get<string>('JWT_SECRET') },
      }),
      loginPolicy: UsersLoginPolicy,
      routePrefix: 'login',
    }),
  ],
  controllers: [ProfileController],
  providers: [LoginAuditService],
})
export class AppModule {}
