import {
  Controller,
  Get,
  Header,
  NotFoundException,
  Param,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CatalogueService } from './catalogue.service.js';
import { isLocale } from './i18n.constants.js';

/**
 * `GET /locales/:locale/page.ftl`: the login page's catalogue in a shipped
 * locale, the host's messages merged in; 404 for any other locale. Cached
 * for a few minutes only, so that a new release's messages reach the page soon.
 */
@ApiExcludeController()
@Controller('locales')
export class PageLocalesController {
  constructor(private readonly catalogues: CatalogueService) {}

  @Get(':locale/page.ftl')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=300')
  async page(@Param('locale') locale: string): Promise<string> {
    if (!isLocale(locale)) throw new NotFoundException('Unknown locale');
    return this.catalogues.source(locale, 'page');
  }
}
