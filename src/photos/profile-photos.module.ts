import { Module } from '@nestjs/common';
import { TelegramModule } from '../telegram/telegram.module.js';
import { ProfilePhotoLinksModule } from './profile-photo-links.module.js';
import { ProfilePhotoService } from './profile-photo.service.js';
import { ProfilePhotosController } from './profile-photos.controller.js';

/**
 * People's Telegram profile photos, served from this module's own URL
 * (`GET /auth/photos/:ticket`), fetched through the bot on demand. The URLs
 * themselves come from {@link ProfilePhotoLinksModule}.
 */
@Module({
  imports: [ProfilePhotoLinksModule, TelegramModule],
  controllers: [ProfilePhotosController],
  providers: [ProfilePhotoService],
})
export class ProfilePhotosModule {}
