/**
 * What the provider knows of a person who logged in: stored at login (by the
 * interaction), read for every token and userinfo answer.
 */
export interface OidcAccount {
  /** The `sub` claim: the Telegram id as a string, or the login policy's subject. */
  accountId: string;
  /** Always sent as the `telegram_id` claim, so a site can match people whatever `sub` is. */
  telegramId: number;
  /** The `profile` scope's claims that are known. */
  profile: OidcProfileClaims;
}

/** OpenID Connect Core §5.1 names. */
export interface OidcProfileClaims {
  name?: string;
  given_name?: string;
  family_name?: string;
  preferred_username?: string;
  /** A URL of the person's picture. */
  picture?: string;
}
