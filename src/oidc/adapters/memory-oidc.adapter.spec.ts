import { describe, expect, it } from '@jest/globals';
import { itBehavesLikeAnOidcAdapter } from '../../../test/support/oidc-adapter-contract.js';
import { memoryOidcAdapterFactory } from './memory-oidc.adapter.js';

describe('memoryOidcAdapterFactory', () => {
  // One process: every "instance" is an adapter over the same store.
  itBehavesLikeAnOidcAdapter((count) => {
    const factory = memoryOidcAdapterFactory();
    return Array.from({ length: count }, () => factory);
  });

  it('forgets a record once its lifetime is over, and keeps one without a lifetime', async () => {
    let now = 1_000_000;
    const adapters = memoryOidcAdapterFactory(() => now);
    await adapters('AccessToken').upsert('short', { jti: 'short' }, 60);
    await adapters('Grant').upsert('forever', { jti: 'forever' });

    now += 59_999;
    await expect(adapters('AccessToken').find('short')).resolves.toEqual({
      jti: 'short',
    });
    now += 1;
    await expect(adapters('AccessToken').find('short')).resolves.toBe(
      undefined,
    );
    now += 365 * 24 * 3600 * 1000;
    await expect(adapters('Grant').find('forever')).resolves.toEqual({
      jti: 'forever',
    });
  });

  it('hands out copies: changing what find returned changes nothing stored', async () => {
    const adapters = memoryOidcAdapterFactory();
    await adapters('Session').upsert('s', { jti: 's', accountId: '1' }, 60);
    const found = await adapters('Session').find('s');
    found!.accountId = '2';
    await expect(adapters('Session').find('s')).resolves.toEqual({
      jti: 's',
      accountId: '1',
    });
  });

  it('keeps each factory to itself (one provider, one store)', async () => {
    const first = memoryOidcAdapterFactory();
    await first('Session').upsert('s', { jti: 's' }, 60);
    await expect(memoryOidcAdapterFactory()('Session').find('s')).resolves.toBe(
      undefined,
    );
  });
});
