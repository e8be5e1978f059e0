/** What the bot says. Plain text (no parse_mode), so an APP_NAME with * or _ shows as written. */
export const BotMessages = {
  loggedIn: (appName: string) => `✅ You are logged in to ${appName}; you can go back to your browser.`,
  expired: (appName: string) =>
    `⌛ This login link has expired. Go back to ${appName} in your browser and scan the new QR code (or reload the page to get one).`,
  unknown: (appName: string) =>
    `⚠️ This login link is not valid or has already been used. Open the ${appName} login page in your browser and scan the QR code shown there.`,
  bareStart: (appName: string) =>
    `👋 I log you in to ${appName}. Open its login page in your browser and scan the QR code with your phone's camera, or tap "Open in Telegram" if you are on the phone already.`,
} as const;
