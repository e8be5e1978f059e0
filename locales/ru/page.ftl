# Страница входа. Переменные не переводятся: $site — название сайта,
# $name — имя из Telegram, $code — число, которое нужно выбрать.

## Title and heading

page-title = Вход через Telegram
# The heading once logged in.
page-title-logged-in = Вы вошли
page-title-site = Вход на { $site } через Telegram
site-fallback = сайт

## The status line

status-getting-code = Получаем QR-код…
status-getting-new-code = Получаем новый QR-код…
status-checking-session = Проверяем ваш сеанс…
status-waiting = Ждём, когда вы отсканируете QR-код
status-new-code = Новый QR-код: срок прежнего истёк. Ждём, когда вы его отсканируете
status-logged-out = Вы вышли. Отсканируйте новый QR-код, чтобы войти снова
status-too-many =
    Слишком много новых кодов из этой сети. Попробуем снова через { $seconds ->
        [one] { $seconds } секунду
        [few] { $seconds } секунды
       *[many] { $seconds } секунд
    }…
status-confirm = Подтвердите в Telegram
status-confirm-named = { $name }, подтвердите в Telegram
status-confirm-code = Подтвердите в Telegram: выберите { $code }
status-confirm-named-code = { $name }, подтвердите в Telegram: выберите { $code }
status-going-back = Вход выполнен. Возвращаемся на { $site }…
status-logging-out = Выходим…
status-logged-in = Вы вошли как { $name }
status-session-ended = Вы вышли из аккаунта. { $reason }

## The QR code and what to do with it

login-heading = Отсканируйте QR-код телефоном
qr-image =
    .alt = QR-код для входа через Telegram; кнопка «Открыть в Telegram» открывает тот же вход
match-before = Выберите
match-after = в Telegram
countdown = Истекает через { $time }
countdown-label = QR-код истекает через { $duration }
# Rate limited: $time is minutes:seconds until the page asks again.
retry-countdown = Повтор через { $time }
retry-countdown-label = Повторная попытка через { $duration }
duration-minutes =
    { $minutes ->
        [one] { $minutes } минуту
        [few] { $minutes } минуты
       *[many] { $minutes } минут
    }
duration-seconds =
    { $seconds ->
        [one] { $seconds } секунду
        [few] { $seconds } секунды
       *[many] { $seconds } секунд
    }
open-telegram = Открыть в Telegram
# On a touch screen, above the QR code (Open in Telegram comes first there).
other-device = На другом устройстве? Отсканируйте этот QR-код
copy-link = Скопировать ссылку
# Said beside Copy link once it was pressed.
link-copied = Ссылка скопирована
copy-failed = Не удалось скопировать ссылку
demo-label = Демо-режим:
demo-text = бот Telegram не подключён. Завершите вход из папки проекта командой:
step-open = Откройте камеру или Telegram на телефоне
step-scan = Отсканируйте этот QR-код
step-start = Нажмите <strong>Запустить</strong> в чате с ботом
# The steps on a touch screen, where Telegram is on the same device.
step-open-touch = Нажмите <strong>Открыть в Telegram</strong>
step-scan-touch = Telegram откроет чат с ботом
# With LOGIN_CONFIRMATION=code, before the scan (the number comes after it).
step-start-code = Нажмите <strong>Запустить</strong> в чате с ботом, затем выберите число, которое покажет эта страница
step-confirm = Нажмите «Подтвердить» в чате с ботом
step-pick = Выберите то же число в чате с ботом

## When something went wrong or is over

expired-title = Срок действия QR-кода истёк
expired-unconfirmed = Вход не подтвердили в Telegram вовремя. Получите новый код и отсканируйте его снова.
expired-text = Ради вашей безопасности коды входа действуют всего несколько минут. Получите новый, когда будете готовы его отсканировать.
new-code = Показать новый QR-код
denied-title = Вход отклонён
denied-text = Вход отклонили в Telegram, поэтому этот браузер не вошёл. Если это ошибка, начните заново с новым QR-кодом.
denied-text-site = Вход отклонили в Telegram. Возвращаемся на { $site }…
go-back = Вернуться сейчас
try-again = Попробовать снова
logged-out-here-title = Вы вышли только в этом браузере
logged-out-here-text = Этот браузер забыл сеанс, но сервер недоступен, и завершить сеанс там не удалось: он действует, пока не истечёт.
log-in-again = Войти снова
request-ended-title = Этот запрос на вход завершён
request-ended-text = Вернитесь на сайт, с которого пришли, и войдите снова.
unreachable-title = Сервер недоступен
unreachable-text = Проверьте подключение и попробуйте снова.

## Why a session ended

session-ended-title = Вы вышли из аккаунта
session-ended = Ваш сеанс завершён.
session-ended-in-telegram = Вы завершили этот сеанс в Telegram.
session-ended-from-another-session = Вы завершили этот сеанс из другого браузера.
session-logged-out = Вы вышли.
session-refresh-token-reused = Ваш сеанс завершён: его токен обновления использовали дважды (возможно, его кто-то скопировал).
session-logged-out-of-site = Вы вышли с сайта.
session-ended-by-site = Сайт завершил ваш сеанс.

## Who is logged in

fact-id = ID в Telegram
log-out = Выйти

## The footer

transport-socket = Обновляется сразу, как что-то произойдёт
transport-polling = Проверяет обновления каждые несколько секунд
