import { describe, expect, it } from '@jest/globals';
import type { TelegramQrAuthOptions } from './interfaces/telegram-qr-auth-options.interface.js';
import {
  resolveRedisSettings,
  resolveSettings,
} from './telegram-qr-auth.settings.js';

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

describe('resolveRedisSettings', () => {
  it('tells the mode from the option that is set', () => {
    expect(resolveRedisSettings({})).toMatchObject({ mode: undefined });
    expect(resolveRedisSettings({ url: 'rediss://r:6380' })).toMatchObject({
      mode: 'single',
      tls: true,
    });
    expect(
      resolveRedisSettings({ clusterNodes: [{ host: 'a', port: 7000 }] }),
    ).toMatchObject({ mode: 'cluster', tls: false });
    expect(
      resolveRedisSettings({
        sentinels: [{ host: 's', port: 26379 }],
        sentinelName: 'tqa',
        tls: true,
      }),
    ).toMatchObject({ mode: 'sentinel', sentinelName: 'tqa', tls: true });
  });

  it('waits for a replica by default where there is a failover to survive, and never on one Redis', () => {
    const wait = (options: Parameters<typeof resolveRedisSettings>[0]) =>
      resolveRedisSettings(options).replicaWait;
    expect(wait({ url: 'redis://r:6379' })).toEqual({
      replicas: 0,
      timeoutMs: 500,
    });
    expect(wait({ clusterNodes: [{ host: 'a', port: 7000 }] })).toEqual({
      replicas: 1,
      timeoutMs: 500,
    });
    expect(
      wait({
        sentinels: [{ host: 's', port: 26379 }],
        sentinelName: 'tqa',
        waitReplicas: 2,
        waitTimeoutMs: 50,
      }),
    ).toEqual({ replicas: 2, timeoutMs: 50 });
    expect(() => wait({ url: 'redis://r', waitReplicas: -1 })).toThrow(
      'TelegramQrAuthModule: redis.waitReplicas must be a whole number, 0 or more',
    );
  });

  it('refuses two ways to reach Redis, and Sentinels without a name, without their values', () => {
    const both = () =>
      resolveRedisSettings({
        url: 'redis://:url-password@r:6379',
        sentinels: [{ host: 'secret-host', port: 26379 }],
        sentinelName: 'tqa',
      });
    expect(both).toThrow(
      'TelegramQrAuthModule: redis.url and redis.sentinels are both set; set only one of redis.url, redis.clusterNodes and redis.sentinels',
    );
    expect(both).not.toThrow(/url-password|secret-host/);
    expect(() =>
      resolveRedisSettings({ sentinels: [{ host: 's', port: 26379 }] }),
    ).toThrow(/redis.sentinelName is required with redis.sentinels/);
  });
});
