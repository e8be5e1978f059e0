import { describe, expect, it } from '@jest/globals';
import type { TelegramQrAuthOptions } from './interfaces/telegram-qr-auth-options.interface.js';
import { resolveSettings } from './telegram-qr-auth.settings.js';

const BOT = {
  token: `123456789:${'A'.repeat(35)}`,
  username: 'shop_login_bot',
};

describe('resolveSettings: profilePhotos', () => {
  const photos = (options: TelegramQrAuthOptions) =>
    resolveSettings(options).telegram.profilePhotos;

  it('is on by default with a bot, and off in demo mode whatever it says', () => {
    expect(photos({ bot: BOT })).toBe(true);
    expect(photos({})).toBe(false);
    expect(photos({ profilePhotos: true })).toBe(false);
  });

  it("takes a boolean, or 'on' / 'off' as PROFILE_PHOTOS spells it", () => {
    expect(photos({ bot: BOT, profilePhotos: false })).toBe(false);
    expect(photos({ bot: BOT, profilePhotos: 'off' })).toBe(false);
    expect(photos({ bot: BOT, profilePhotos: 'on' })).toBe(true);
    expect(photos({ bot: BOT, profilePhotos: true })).toBe(true);
  });

  it('refuses anything else, naming the option', () => {
    expect(() =>
      photos({
        bot: BOT,
        profilePhotos: 'yes' as TelegramQrAuthOptions['profilePhotos'],
      }),
    ).toThrow("profilePhotos must be true, false, 'on' or 'off'");
  });
});

describe('resolveSettings: appLogoUrl', () => {
  const logo = (appLogoUrl?: string) =>
    resolveSettings({ appLogoUrl }).auth.appLogoUrl;

  it('is unset by default, and kept as an http(s) URL', () => {
    expect(logo()).toBeUndefined();
    expect(logo('https://shop.example/logo.svg')).toBe(
      'https://shop.example/logo.svg',
    );
    expect(logo('http://127.0.0.1:8080/logo.png')).toBe(
      'http://127.0.0.1:8080/logo.png',
    );
  });

  it.each(['logo.png', 'javascript:alert(1)', 'data:image/png;base64,AAAA'])(
    'refuses %j, naming the option',
    (url) => {
      expect(() => logo(url)).toThrow(/appLogoUrl must be an http\(s\) URL/);
    },
  );
});
