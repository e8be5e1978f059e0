# La página de inicio de sesión. Las variables no se traducen: $site es el
# nombre de un sitio, $name el de una persona en Telegram, $code el número que elegir.

## Title and heading

page-title = Inicia sesión con Telegram
# The heading once logged in.
page-title-logged-in = Sesión iniciada
page-title-site = Inicia sesión en { $site } con Telegram
site-fallback = el sitio

## The status line

status-getting-code = Obteniendo un código QR…
status-getting-new-code = Obteniendo un código QR nuevo…
status-checking-session = Comprobando tu sesión…
status-waiting = Esperando a que escanees el código QR
status-new-code = Código QR nuevo: el anterior caducó. Esperando a que lo escanees
status-logged-out = Sesión cerrada. Escanea el código QR nuevo para volver a entrar
status-too-many =
    Demasiados códigos nuevos desde esta red. Lo intentaremos de nuevo en { $seconds ->
        [one] { $seconds } segundo
       *[other] { $seconds } segundos
    }…
status-confirm = Confirma en Telegram
status-confirm-named = Confirma en Telegram, { $name }
status-confirm-code = Confirma en Telegram: elige { $code }
status-confirm-named-code = Confirma en Telegram, { $name }: elige { $code }
status-going-back = Sesión iniciada. Volviendo a { $site }…
status-logging-out = Cerrando sesión…
status-logged-in = Sesión iniciada como { $name }
status-session-ended = Se cerró tu sesión. { $reason }

## The QR code and what to do with it

login-heading = Escanea el código QR con tu teléfono
qr-image =
    .alt = Código QR para iniciar sesión con Telegram; el botón Abrir en Telegram abre el mismo inicio de sesión
match-before = Elige
match-after = en Telegram
countdown = Caduca en { $time }
countdown-label = El código QR caduca en { $duration }
# Rate limited: $time is minutes:seconds until the page asks again.
retry-countdown = Reintentando en { $time }
retry-countdown-label = Se reintentará en { $duration }
duration-minutes =
    { $minutes ->
        [one] { $minutes } minuto
       *[other] { $minutes } minutos
    }
duration-seconds =
    { $seconds ->
        [one] { $seconds } segundo
       *[other] { $seconds } segundos
    }
open-telegram = Abrir en Telegram
# On a touch screen, above the QR code (Open in Telegram comes first there).
other-device = ¿En otro dispositivo? Escanea este código QR
copy-link = Copiar enlace
# Said beside Copy link once it was pressed.
link-copied = Enlace copiado
copy-failed = No se pudo copiar el enlace
demo-label = Modo demo:
demo-text = no hay ningún bot de Telegram conectado. Completa el inicio de sesión desde la carpeta del proyecto con:
step-open = Abre la cámara o Telegram en tu teléfono
step-scan = Escanea este código QR
step-start = Toca <strong>Iniciar</strong> en el chat con el bot
# The steps on a touch screen, where Telegram is on the same device.
step-open-touch = Toca <strong>Abrir en Telegram</strong>
step-scan-touch = Telegram abre el chat con el bot
# With LOGIN_CONFIRMATION=code, before the scan (the number comes after it).
step-start-code = Toca <strong>Iniciar</strong> en el chat con el bot y elige el número que muestre esta página
step-confirm = Toca Confirmar en el chat con el bot
step-pick = Elige el mismo número en el chat con el bot

## When something went wrong or is over

expired-title = Este código QR ha caducado
expired-unconfirmed = No se confirmó en Telegram a tiempo. Obtén un código nuevo y escanéalo otra vez.
expired-text = Por tu seguridad, los códigos de inicio de sesión solo valen unos minutos. Obtén uno nuevo cuando estés listo para escanearlo.
new-code = Mostrar un código QR nuevo
denied-title = Inicio de sesión rechazado
denied-text = El inicio de sesión se rechazó en Telegram, así que este navegador no ha entrado. Si fue un error, empieza otra vez con un código QR nuevo.
denied-text-site = El inicio de sesión se rechazó en Telegram. Volviendo a { $site }…
go-back = Volver ahora
try-again = Intentar de nuevo
logged-out-here-title = Sesión cerrada solo en este navegador
logged-out-here-text = Este navegador ha olvidado la sesión, pero no se pudo contactar con el servidor para cerrarla, así que allí sigue válida hasta que caduque.
log-in-again = Volver a iniciar sesión
request-ended-title = Esta solicitud de inicio de sesión ha terminado
request-ended-text = Vuelve al sitio del que venías e inicia sesión otra vez.
unreachable-title = No se puede contactar con el servidor
unreachable-text = Comprueba tu conexión y vuelve a intentarlo.

## Why a session ended

session-ended-title = Se cerró tu sesión
session-ended = Tu sesión ha terminado.
session-ended-in-telegram = Cerraste esta sesión en Telegram.
session-ended-from-another-session = Cerraste esta sesión desde otro navegador.
session-logged-out = Cerraste la sesión.
session-refresh-token-reused = Tu sesión se cerró porque su token de renovación se usó dos veces (puede que alguien lo haya copiado).
session-logged-out-of-site = Cerraste la sesión en el sitio.
session-ended-by-site = El sitio cerró tu sesión.

## Who is logged in

fact-id = ID de Telegram
log-out = Cerrar sesión

## The footer

transport-socket = Se actualiza en cuanto pasa algo
transport-polling = Busca novedades cada pocos segundos
