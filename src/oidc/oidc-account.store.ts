import type { Adapter, AdapterFactory } from 'oidc-provider';
import type { TelegramUser } from '../auth/interfaces/index.js';
import type { OidcAccount, OidcProfileClaims } from './interfaces/index.js';

/**
 * The people the provider issues tokens about, kept through the provider's
 * own storage (memory, or Redis with `redis.url`) under the model name
 * `Account`. The interaction saves the account when someone logs in;
 * `findAccount` reads it for every ID token, userinfo answer and refresh.
 */
export class OidcAccountStore {
  private readonly adapter: Adapter;

  /**
   * `ttlSeconds` must outlast everything that names the account: a grant
   * can be made at the end of a session (single sign-on) and then live its
   * own lifetime, so the session's lifetime plus the grant's. Saving the
   * account again at each login starts it anew.
   */
  constructor(
    adapters: AdapterFactory,
    private readonly ttlSeconds: number,
  ) {
    this.adapter = adapters('Account');
  }

  async save(account: OidcAccount): Promise<void> {
    await this.adapter.upsert(account.accountId, { account }, this.ttlSeconds);
  }

  async find(accountId: string): Promise<OidcAccount | undefined> {
    const stored = (await this.adapter.find(accountId)) as
      { account?: OidcAccount } | undefined;
    return stored?.account;
  }
}

/**
 * The account of a Telegram user who logged in: `sub` is `subject` (the
 * login policy's) or the Telegram id, and the profile claims are what
 * Telegram tells of the person.
 */
export function oidcAccountFrom(
  user: TelegramUser,
  subject?: string,
  picture?: string,
): OidcAccount {
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ');
  const profile: OidcProfileClaims = {
    name: name || undefined,
    given_name: user.first_name || undefined,
    family_name: user.last_name || undefined,
    preferred_username: user.username || undefined,
    picture,
  };
  return {
    accountId: subject ?? String(user.id),
    telegramId: user.id,
    profile: Object.fromEntries(
      Object.entries(profile).filter(([, value]) => value !== undefined),
    ),
  };
}
