// The public API of the package: what a host app imports. Everything else is internal.
export { TelegramQrAuthModule } from './telegram-qr-auth.module.js';
export {
  TELEGRAM_QR_AUTH_OPTIONS,
  type TelegramQrAuthOptionsFactory,
  TELEGRAM_QR_AUTH_OPTIONS_TYPE,
  TELEGRAM_QR_AUTH_ASYNC_OPTIONS_TYPE,
} from './telegram-qr-auth.module-definition.js';
export type { TelegramQrAuthOptions } from './interfaces/telegram-qr-auth-options.interface.js';
export type { TelegramQrAuthExtras } from './interfaces/telegram-qr-auth-extras.interface.js';
export type {
  JwtAlgorithm,
  LoginConfirmationMode,
  ProfilePhotosSwitch,
  TelegramMode,
} from './telegram-qr-auth.constants.js';

// Guarding the host's own routes with the sessions this module issues.
export {
  JwtAuthGuard,
  type AuthenticatedRequest,
} from './auth/jwt-auth.guard.js';
export {
  SessionService,
  type NewSession,
  type SessionTokens,
} from './sessions/session.service.js';
export type {
  Session,
  SessionClaims,
} from './sessions/access-token.service.js';
export { SessionEventsService } from './sessions/session-events.service.js';
export {
  RedisEventsService,
  type ReplicaShortfall,
} from './redis/redis-events.service.js';
export { SESSION_EVENTS } from './sessions/sessions.constants.js';
export type {
  EndedSession,
  SessionEndReason,
  SessionInfo,
} from './sessions/interfaces/index.js';

// Extension points.
export {
  LoginPolicy,
  AllowListLoginPolicy,
  type LoginPolicyDecision,
} from './auth/login-policy.js';
export { LOGIN_STORE } from './auth/auth.constants.js';
export type {
  LoginStore,
  Login,
  LoginPatch,
  LoginRequester,
  LoginStatus,
  LoginTransition,
  SessionGrant,
  StoredLoginStatus,
  HoldResultOptions,
  ResultHoldOutcome,
  TakeResultOptions,
  TelegramUser,
} from './auth/interfaces/index.js';
export { MemoryLoginStore } from './auth/stores/memory-login.store.js';
export {
  LoginEventsService,
  LOGIN_EVENTS,
  type LoginChange,
  type LoginDelivery,
} from './auth/login-events.service.js';

// The OpenID Provider (the `oidc` option), for the login page's interaction.
export { OidcProviderService } from './oidc/oidc-provider.service.js';
export {
  OidcAccountStore,
  oidcAccountFrom,
} from './oidc/oidc-account.store.js';
export type {
  OidcAccount,
  OidcClientMetadata,
  OidcJwks,
  OidcOptions,
  OidcProfileClaims,
} from './oidc/interfaces/index.js';

// The languages shipped (the `messages` option's keys).
export { LOCALES, type Locale } from './i18n/i18n.constants.js';

// Several instances: rooms across instances for the host's own main.ts.
export { SocketIoAdapter } from './socket-io/socket-io.adapter.js';
export { REDIS_CLIENT } from './redis/redis.constants.js';
