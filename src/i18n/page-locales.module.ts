import { Module } from '@nestjs/common';
import { I18nModule } from './i18n.module.js';
import { PageLocalesController } from './page-locales.controller.js';

/** Serves the login page its catalogues; only where the module serves the page. */
@Module({
  imports: [I18nModule],
  controllers: [PageLocalesController],
})
export class PageLocalesModule {}
