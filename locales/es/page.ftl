# La página de inicio de sesión. Las variables no se traducen: $site es el
# nombre de un sitio, $name el de una persona en Telegram, $code el número que elegir.

## Title and heading

page-title = Inicia sesión con Telegram
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
    .alt = Código QR para iniciar sesión con Telegram; el mismo enlace de inicio de sesión está escrito debajo
match-before = Elige
match-after = en Telegram
countdown = Caduca en { $time }
countdown-label = El código QR caduca en { $duration }
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
deep-link-label = ¿Tienes Telegram en este dispositivo? Abre este enlace de inicio de sesión:
demo-label = Modo demo:
demo-text = no hay ningún bot de Telegram conectado. Completa el inicio de sesión desde la carpeta del proyecto con:
step-open = Abre la cámara o Telegram en tu teléfono
step-scan = Escanea este código QR
step-start = Toca <strong>Iniciar</strong> en el chat con el bot
step-confirm = Toca Confirmar en el chat con el bot
step-pick = Elige { $code } en el chat con el bot

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
fact-first-name = Nombre
fact-last-name = Apellido
fact-username = Nombre de usuario
log-out = Cerrar sesión

## The footer

transport-socket = Conexión en directo
transport-polling = Comprobando cada pocos segundos
