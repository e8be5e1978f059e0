export type {
  OidcClientMetadata,
  OidcJwks,
  OidcOptions,
} from './oidc-options.interface.js';
export type {
  OidcAccount,
  OidcProfileClaims,
} from './oidc-account.interface.js';
