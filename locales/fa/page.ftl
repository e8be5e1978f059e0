# صفحهٔ ورود. متغیرها ترجمه نمی‌شوند: $site نام یک سایت، $name نام یک شخص
# در تلگرام و $code عددی است که باید انتخاب شود. فارسی راست‌به‌چپ نمایش داده می‌شود.

## Title and heading

page-title = ورود با تلگرام
# The heading once logged in.
page-title-logged-in = وارد شدید
page-title-site = ورود به { $site } با تلگرام
site-fallback = سایت

## The status line

status-getting-code = در حال دریافت کد QR…
status-getting-new-code = در حال دریافت کد QR جدید…
status-checking-session = در حال بررسی نشست شما…
status-waiting = منتظر اسکن کد QR هستیم
status-new-code = کد QR جدید: کد قبلی منقضی شد. منتظر اسکن آن هستیم
status-logged-out = خارج شدید. برای ورود دوباره، کد QR جدید را اسکن کنید
status-too-many = کدهای جدید زیادی از این شبکه درخواست شده است. { $seconds } ثانیهٔ دیگر دوباره تلاش می‌کنیم…
status-confirm = در تلگرام تأیید کنید
status-confirm-named = { $name }، در تلگرام تأیید کنید
status-confirm-code = در تلگرام تأیید کنید: { $code } را انتخاب کنید
status-confirm-named-code = { $name }، در تلگرام تأیید کنید: { $code } را انتخاب کنید
status-going-back = وارد شدید. در حال بازگشت به { $site }…
status-logging-out = در حال خروج…
status-logged-in = با نام { $name } وارد شده‌اید
status-session-ended = از حساب خارج شدید. { $reason }

## The QR code and what to do with it

login-heading = کد QR را با گوشی خود اسکن کنید
qr-image =
    .alt = کد QR برای ورود با تلگرام؛ دکمهٔ «باز کردن در تلگرام» همین ورود را باز می‌کند
match-before = در تلگرام
match-after = را انتخاب کنید
countdown = زمان باقی‌مانده: { $time }
countdown-label = کد QR تا { $duration } دیگر منقضی می‌شود
# Rate limited: $time is minutes:seconds until the page asks again.
retry-countdown = تلاش دوباره تا { $time }
retry-countdown-label = تلاش دوباره تا { $duration } دیگر
duration-minutes = { $minutes } دقیقه
duration-seconds = { $seconds } ثانیه
open-telegram = باز کردن در تلگرام
# On a touch screen, above the QR code (Open in Telegram comes first there).
other-device = روی دستگاه دیگری هستید؟ این کد QR را اسکن کنید
copy-link = کپی پیوند
# Said beside Copy link once it was pressed.
link-copied = پیوند کپی شد
copy-failed = کپی پیوند ممکن نشد
demo-label = حالت نمایشی:
demo-text = هیچ ربات تلگرامی وصل نیست. ورود را از پوشهٔ پروژه با این فرمان کامل کنید:
step-open = دوربین یا تلگرام را روی گوشی خود باز کنید
step-scan = این کد QR را اسکن کنید
step-start = در گفتگو با ربات روی <strong>شروع</strong> بزنید
# The steps on a touch screen, where Telegram is on the same device.
step-open-touch = روی <strong>باز کردن در تلگرام</strong> بزنید
step-scan-touch = تلگرام گفتگو با ربات را باز می‌کند
# With LOGIN_CONFIRMATION=code, before the scan (the number comes after it).
step-start-code = در گفتگو با ربات روی <strong>شروع</strong> بزنید، سپس عددی را که این صفحه نشان می‌دهد انتخاب کنید
step-confirm = در گفتگو با ربات روی «تأیید» بزنید
step-pick = همین عدد را در گفتگو با ربات انتخاب کنید

## When something went wrong or is over

expired-title = این کد QR منقضی شده است
expired-unconfirmed = به‌موقع در تلگرام تأیید نشد. کد جدیدی بگیرید و دوباره اسکن کنید.
expired-text = برای امنیت شما، کدهای ورود فقط چند دقیقه کار می‌کنند. هر وقت آمادهٔ اسکن بودید، کد جدیدی بگیرید.
new-code = نمایش کد QR جدید
denied-title = ورود رد شد
denied-text = ورود در تلگرام رد شد، پس این مرورگر وارد نشد. اگر اشتباهی پیش آمده، با کد QR جدید دوباره شروع کنید.
denied-text-site = ورود در تلگرام رد شد. در حال بازگشت به { $site }…
go-back = همین حالا بازگردید
try-again = تلاش دوباره
logged-out-here-title = فقط در این مرورگر خارج شدید
logged-out-here-text = این مرورگر نشست را فراموش کرد، اما به سرور دسترسی نبود تا آن را پایان دهد؛ پس نشست تا زمان انقضا آنجا معتبر می‌ماند.
log-in-again = ورود دوباره
request-ended-title = این درخواست ورود پایان یافته است
request-ended-text = به سایتی که از آن آمده‌اید برگردید و دوباره وارد شوید.
unreachable-title = دسترسی به سرور ممکن نیست
unreachable-text = اتصال خود را بررسی کنید و دوباره تلاش کنید.

## Why a session ended

session-ended-title = از حساب خارج شدید
session-ended = نشست شما پایان یافت.
session-ended-in-telegram = شما این نشست را در تلگرام پایان دادید.
session-ended-from-another-session = شما این نشست را از مرورگر دیگری پایان دادید.
session-logged-out = شما خارج شدید.
session-refresh-token-reused = نشست شما پایان یافت، چون توکن تازه‌سازی آن دو بار به کار رفت (شاید کسی آن را کپی کرده باشد).
session-logged-out-of-site = شما از سایت خارج شدید.
session-ended-by-site = سایت نشست شما را پایان داد.

## Who is logged in

fact-id = شناسهٔ تلگرام
log-out = خروج

## The footer

transport-socket = به محض هر تغییری به‌روز می‌شود
transport-polling = هر چند ثانیه به‌روزرسانی‌ها را بررسی می‌کند
