# Сторінка входу. Змінні не перекладаються: $site — назва сайту,
# $name — ім'я з Telegram, $code — число, яке треба вибрати.

## Title and heading

page-title = Вхід через Telegram
# The heading once logged in.
page-title-logged-in = Ви увійшли
page-title-site = Вхід на { $site } через Telegram
site-fallback = сайт

## The status line

status-getting-code = Отримуємо QR-код…
status-getting-new-code = Отримуємо новий QR-код…
status-checking-session = Перевіряємо ваш сеанс…
status-waiting = Чекаємо, поки ви відскануєте QR-код
status-new-code = Новий QR-код: термін попереднього минув. Чекаємо, поки ви його відскануєте
status-logged-out = Ви вийшли. Відскануйте новий QR-код, щоб увійти знову
status-too-many =
    Забагато нових кодів із цієї мережі. Спробуємо знову за { $seconds ->
        [one] { $seconds } секунду
        [few] { $seconds } секунди
       *[many] { $seconds } секунд
    }…
status-confirm = Підтвердьте в Telegram
status-confirm-named = { $name }, підтвердьте в Telegram
status-confirm-code = Підтвердьте в Telegram: виберіть { $code }
status-confirm-named-code = { $name }, підтвердьте в Telegram: виберіть { $code }
status-going-back = Вхід виконано. Повертаємося на { $site }…
status-logging-out = Виходимо…
status-logged-in = Ви увійшли як { $name }
status-session-ended = Ви вийшли з облікового запису. { $reason }

## The QR code and what to do with it

login-heading = Відскануйте QR-код телефоном
qr-image =
    .alt = QR-код для входу через Telegram; кнопка «Відкрити в Telegram» відкриває той самий вхід
match-before = Виберіть
match-after = у Telegram
countdown = Спливає за { $time }
countdown-label = Термін дії QR-коду спливає за { $duration }
# Rate limited: $time is minutes:seconds until the page asks again.
retry-countdown = Повтор через { $time }
retry-countdown-label = Повторна спроба через { $duration }
duration-minutes =
    { $minutes ->
        [one] { $minutes } хвилину
        [few] { $minutes } хвилини
       *[many] { $minutes } хвилин
    }
duration-seconds =
    { $seconds ->
        [one] { $seconds } секунду
        [few] { $seconds } секунди
       *[many] { $seconds } секунд
    }
open-telegram = Відкрити в Telegram
# On a touch screen, above the QR code (Open in Telegram comes first there).
other-device = На іншому пристрої? Відскануйте цей QR-код
copy-link = Копіювати посилання
# Said beside Copy link once it was pressed.
link-copied = Посилання скопійовано
copy-failed = Не вдалося скопіювати посилання
demo-label = Демо-режим:
demo-text = бот Telegram не під'єднано. Завершіть вхід із теки проєкту командою:
step-open = Відкрийте камеру або Telegram на телефоні
step-scan = Відскануйте цей QR-код
step-start = Натисніть <strong>Почати</strong> в чаті з ботом
# The steps on a touch screen, where Telegram is on the same device.
step-open-touch = Натисніть <strong>Відкрити в Telegram</strong>
step-scan-touch = Telegram відкриє чат з ботом
# With LOGIN_CONFIRMATION=code, before the scan (the number comes after it).
step-start-code = Натисніть <strong>Почати</strong> в чаті з ботом, потім виберіть число, яке покаже ця сторінка
step-confirm = Натисніть «Підтвердити» в чаті з ботом
step-pick = Виберіть те саме число в чаті з ботом

## When something went wrong or is over

expired-title = Термін дії QR-коду минув
expired-unconfirmed = Вхід не підтвердили в Telegram вчасно. Отримайте новий код і відскануйте його знову.
expired-text = Задля вашої безпеки коди входу діють лише кілька хвилин. Отримайте новий, коли будете готові його відсканувати.
new-code = Показати новий QR-код
denied-title = Вхід відхилено
denied-text = Вхід відхилили в Telegram, тож цей браузер не увійшов. Якщо це помилка, почніть знову з новим QR-кодом.
denied-text-site = Вхід відхилили в Telegram. Повертаємося на { $site }…
go-back = Повернутися зараз
try-again = Спробувати знову
logged-out-here-title = Ви вийшли лише в цьому браузері
logged-out-here-text = Цей браузер забув сеанс, але сервер недоступний, і завершити сеанс там не вдалося: він діє, доки не спливе.
log-in-again = Увійти знову
request-ended-title = Цей запит на вхід завершено
request-ended-text = Поверніться на сайт, з якого прийшли, і увійдіть знову.
unreachable-title = Сервер недоступний
unreachable-text = Перевірте з'єднання і спробуйте знову.

## Why a session ended

session-ended-title = Ви вийшли з облікового запису
session-ended = Ваш сеанс завершено.
session-ended-in-telegram = Ви завершили цей сеанс у Telegram.
session-ended-from-another-session = Ви завершили цей сеанс з іншого браузера.
session-logged-out = Ви вийшли.
session-refresh-token-reused = Ваш сеанс завершено: його токен оновлення використали двічі (можливо, хтось його скопіював).
session-logged-out-of-site = Ви вийшли із сайту.
session-ended-by-site = Сайт завершив ваш сеанс.

## Who is logged in

fact-id = ID у Telegram
log-out = Вийти

## The footer

transport-socket = Оновлюється одразу, щойно щось станеться
transport-polling = Перевіряє оновлення кожні кілька секунд
