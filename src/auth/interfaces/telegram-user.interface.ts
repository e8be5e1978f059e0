/** The Telegram account that logged in, as Telegram describes it. */
export interface TelegramUser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
}
