import { Inject, Injectable } from '@nestjs/common';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { I18N_SETTINGS } from '../telegram-qr-auth.constants.js';
import { mergeMessages } from './fluent-messages.js';
import { type Catalogue, LOCALES_ROOT, type Locale } from './i18n.constants.js';
import type { I18nSettings } from './interfaces/i18n-settings.interface.js';

/**
 * The Fluent source of a catalogue in a locale: the shipped file, with the
 * host's `messages` for that locale merged in. Read once per process.
 */
@Injectable()
export class CatalogueService {
  private readonly sources = new Map<string, Promise<string>>();

  constructor(@Inject(I18N_SETTINGS) private readonly settings: I18nSettings) {}

  source(locale: Locale, catalogue: Catalogue): Promise<string> {
    const key = `${locale}/${catalogue}`;
    let source = this.sources.get(key);
    if (!source) {
      source = this.read(locale, catalogue);
      // A failed read is tried again next time rather than remembered.
      source.catch(() => this.sources.delete(key));
      this.sources.set(key, source);
    }
    return source;
  }

  private async read(locale: Locale, catalogue: Catalogue): Promise<string> {
    const ours = await readFile(
      join(LOCALES_ROOT, locale, `${catalogue}.ftl`),
      'utf8',
    );
    const theirs = this.settings.messages[locale];
    return theirs ? mergeMessages(ours, theirs) : ours;
  }
}
