export type { TelegramUser } from './telegram-user.interface.js';
export type {
  Login,
  LoginOidcContext,
  LoginPatch,
  LoginRequester,
  LoginStatus,
  LoginTransition,
  SessionGrant,
  StoredLoginStatus,
} from './login.interface.js';
export type {
  HoldResultOptions,
  LoginStore,
  ResultHoldOutcome,
  TakeResultOptions,
} from './login-store.interface.js';
