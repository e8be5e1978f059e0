# The login page (client/src). Never translate the variables: $site is a
# site's own name (APP_NAME or the OpenID client's client_name), $name a
# person's name from Telegram, $code the number to pick in Telegram.
# Text in <strong> is shown bold; no other markup is kept.

## Title and heading

page-title = Log in with Telegram
# The heading once logged in.
page-title-logged-in = Logged in
page-title-site = Log in to { $site } with Telegram
# Stands for $site when a site has no name.
site-fallback = the site

## The status line (read out by screen readers)

status-getting-code = Getting a QR code…
status-getting-new-code = Getting a new QR code…
status-checking-session = Checking your session…
status-waiting = Waiting for you to scan the QR code
status-new-code = New QR code: the last one expired. Waiting for you to scan it
status-logged-out = Logged out. Scan the new QR code to log in again
status-too-many =
    Too many new codes from this network. Trying again in { $seconds ->
        [one] { $seconds } second
       *[other] { $seconds } seconds
    }…
status-confirm = Confirm in Telegram
status-confirm-named = Confirm in Telegram, { $name }
status-confirm-code = Confirm in Telegram: pick { $code }
status-confirm-named-code = Confirm in Telegram, { $name }: pick { $code }
status-going-back = Logged in. Going back to { $site }…
status-logging-out = Logging out…
status-logged-in = Logged in as { $name }
# $reason is one of the session-ended-… messages below.
status-session-ended = You were logged out. { $reason }

## The QR code and what to do with it

login-heading = Scan the QR code with your phone
qr-image =
    .alt = QR code to log in with Telegram; the Open in Telegram button opens the same login
# "Pick 42 in Telegram", with the number in between.
match-before = Pick
match-after = in Telegram
# $time is minutes:seconds, e.g. 4:59.
countdown = Expires in { $time }
# $duration is duration-minutes and duration-seconds, joined.
countdown-label = The QR code expires in { $duration }
# Rate limited: $time is minutes:seconds until the page asks again.
retry-countdown = Trying again in { $time }
retry-countdown-label = Trying again in { $duration }
duration-minutes =
    { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }
duration-seconds =
    { $seconds ->
        [one] { $seconds } second
       *[other] { $seconds } seconds
    }
open-telegram = Open in Telegram
# On a touch screen, above the QR code (Open in Telegram comes first there).
other-device = On another device? Scan this QR code
copy-link = Copy link
# Said beside Copy link once it was pressed.
link-copied = Link copied
copy-failed = Could not copy the link
demo-label = Demo mode:
demo-text = no Telegram bot is connected. Complete the login from the project's folder with:
step-open = Open the camera or Telegram on your phone
step-scan = Scan this QR code
# "Start" is the button Telegram shows under a bot's first message.
step-start = Tap <strong>Start</strong> in the chat with the bot
# The steps on a touch screen, where Telegram is on the same device.
step-open-touch = Tap <strong>Open in Telegram</strong>
step-scan-touch = Telegram opens the chat with the bot
# With LOGIN_CONFIRMATION=code, before the scan (the number comes after it).
step-start-code = Tap <strong>Start</strong> in the chat with the bot, then pick the number this page shows
step-confirm = Tap Confirm in the chat with the bot
step-pick = Pick the same number in the chat with the bot

## When something went wrong or is over

expired-title = This QR code has expired
expired-unconfirmed = It was not confirmed in Telegram in time. Get a new code and scan it again.
expired-text = For your safety, login codes only work for a few minutes. Get a new one when you are ready to scan it.
new-code = Show a new QR code
denied-title = Login denied
denied-text = The login was denied in Telegram, so this browser was not logged in. If that was a mistake, start again with a new QR code.
denied-text-site = The login was denied in Telegram. Going back to { $site }…
go-back = Go back now
try-again = Try again
logged-out-here-title = Logged out in this browser only
logged-out-here-text = This browser has forgotten the session, but the server could not be reached to end it, so it stays valid there until it expires.
log-in-again = Log in again
request-ended-title = This login request has ended
request-ended-text = Go back to the site you came from and log in again.
unreachable-title = The server cannot be reached
unreachable-text = Check your connection, then try again.

## Why a session ended

session-ended-title = You were logged out
session-ended = Your session has ended.
session-ended-in-telegram = You ended this session in Telegram.
session-ended-from-another-session = You ended this session from another browser.
session-logged-out = You logged out.
session-refresh-token-reused = Your session was ended because its refresh token was used twice (someone may have copied it).
session-logged-out-of-site = You logged out of the site.
session-ended-by-site = The site ended your session.

## Who is logged in

fact-id = Telegram ID
log-out = Log out

## The footer: how the page hears from the server

transport-socket = Updates as soon as something happens
transport-polling = Checks for updates every few seconds
