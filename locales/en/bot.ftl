# The bot's messages (Telegram), in English: the catalogue every other
# locale must match key for key, with the same variables.
# Plain text (no parse_mode). $site is the site's name (APP_NAME or the
# OpenID client's name), never translated.

## Replies to /start, /help and the confirmation buttons

logged-in = ✅ You are logged in to { $site }; you can go back to your browser.
expired = ⌛ This login link has expired. Go back to { $site } in your browser and scan the new QR code (or reload the page to get one).
unknown-link = ⚠️ This login link is not valid or has already been used. Open the { $site } login page in your browser and scan the QR code shown there.
awaiting-confirmation = ⏳ You have scanned this QR code already: the login to { $site } is waiting for your answer. Use the buttons below (the ones under the first message work too).
introduction =
    👋 I log you in to { $site }. Open its login page in your browser and scan the QR code with your phone's camera, or tap "Open in Telegram" if you are on the phone already.

    Send /sessions to see where you are logged in with your Telegram account, and to log browsers out.
refused = 🚫 You cannot log in to { $site } with this Telegram account. Nobody was logged in.
# $reason is the site's own explanation, in the site's words.
refused-because = 🚫 You cannot log in to { $site } with this Telegram account. { $reason } Nobody was logged in.
denied = 🚫 Login to { $site } denied. Nobody was logged in with your account.
wrong-code = 🚫 That was not the number shown on the { $site } login page, so nobody was logged in. If you did not start this login yourself, someone may have shown you their QR code: ignore it.

## The confirmation request

confirm-title = 🔐 Log in to { $site }?
confirm-asked = A browser asked to log in to { $site } with your Telegram account:
confirm-browser = • Browser: { $browser }
confirm-ip = • IP address: { $ip }
# $time: the moment the browser asked, with its time zone (UTC).
confirm-time = • Time: { $time }
confirm-hint-button = Confirm only if this is you, in front of that screen now.
confirm-hint-code = Tap the number shown on the login page. If you see no number there, or this was not you, tap Deny.
button-confirm = ✅ Confirm
button-deny = ❌ Deny

## Browsers and addresses, as the messages name them

# In a sentence: "from an unknown browser".
unknown-browser = an unknown browser
# Where a line of the list of sessions starts with it.
listed-unknown-browser = An unknown browser
# After "Browser:" in the confirmation request.
confirm-unknown-browser = unknown browser
unknown-ip = unknown
# "Chrome 120 on Windows 10"
browser-on-system = { $browser } on { $os }

## /sessions and its buttons

no-sessions = 🔑 You have no active sessions: no browser is logged in with your Telegram account.
sessions-heading = 🔑 Your active sessions ({ $count }), newest first:
sessions-heading-paged = 🔑 Your active sessions ({ $count }), newest first, page { $page } of { $pages }:
# One session of the list: $n is its number in the list.
session-entry =
    { $n }. { $site }
    { $device }, IP { $ip }
session-times = Logged in { $createdAt }, last used { $lastUsedAt }
sessions-footer = Tap End to log that browser out.
button-end-session = ❌ End { $n }: { $site }
button-newer = ◀ Newer
button-older = Older ▶
button-end-all = 🚪 End all { $count } sessions
session-ended = ✅ Ended the session of { $site } from { $device }. That browser is logged out.
sessions-ended =
    { $count ->
        [one] ✅ Ended { $count } session. That browser is logged out.
       *[other] ✅ Ended { $count } sessions. Those browsers are logged out.
    }
session-gone = ℹ️ That session had already ended, or is not one of yours: nothing was changed.
no-sessions-to-end = ℹ️ There were no sessions left to end: nothing was changed.
no-sessions-left = You have no active sessions left.

## The notice of a new login (LOGIN_CONFIRMATION=off)

new-login =
    🔔 New login to { $site } from { $device }, { $ip }, at { $time }.

    If this was not you, tap End to log that browser out at once. /sessions lists all your sessions.
new-login-unknown-ip = IP address unknown
button-end-this-session = ❌ End this session

## Toasts when a button is pressed (at most 200 characters)

answer-confirmed = Logged in. You can go back to your browser.
answer-denied = Login denied.
answer-wrong-code = Wrong number: login denied.
answer-expired = This login has expired. Scan the new QR code in your browser.
answer-unknown = This login is no longer waiting for an answer.
answer-wrong-user = Only the person who scanned the QR code can answer this login.
answer-already-authenticated = This login was already confirmed.
answer-already-denied = This login was already denied.
answer-session-ended = Session ended: that browser is logged out.
answer-sessions-ended =
    { $count ->
        [one] Ended { $count } session.
       *[other] Ended { $count } sessions.
    }
answer-no-sessions-to-end = There were no sessions left to end.
answer-session-gone = That session has already ended, or is not yours.
answer-sessions-page = Page { $page } of { $pages }

## The chat's menu (setMyCommands, at most 256 characters each)

command-sessions = Where you are logged in; log browsers out
command-help = What this bot does
