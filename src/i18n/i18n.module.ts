import { Module } from '@nestjs/common';
import { CatalogueService } from './catalogue.service.js';

/** The catalogues (`locales/`), with the host's messages, for every part that speaks. */
@Module({
  providers: [CatalogueService],
  exports: [CatalogueService],
})
export class I18nModule {}
