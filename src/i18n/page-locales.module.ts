import { Module } from '@nestjs/common';
import { PageSiteController } from '../page/page-site.controller.js';
import { I18nModule } from './i18n.module.js';
import { PageLocalesController } from './page-locales.controller.js';

/** Serves the login page its catalogues and its site's name and logo; only where the module serves the page. */
@Module({
  imports: [I18nModule],
  controllers: [PageLocalesController, PageSiteController],
})
export class PageLocalesModule {}
