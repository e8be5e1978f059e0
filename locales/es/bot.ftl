# Mensajes del bot (Telegram) en español. Claves y variables: las de en/bot.ftl.
# $site es el nombre del sitio (APP_NAME o el del cliente OpenID): no se traduce.

## Respuestas a /start, /help y a los botones de confirmación

logged-in = ✅ Has iniciado sesión en { $site }; ya puedes volver al navegador.
expired = ⌛ Este enlace de inicio de sesión ha caducado. Vuelve a { $site } en el navegador y escanea el nuevo código QR (o recarga la página para obtener uno).
unknown-link = ⚠️ Este enlace de inicio de sesión no es válido o ya se ha usado. Abre la página de inicio de sesión de { $site } en el navegador y escanea el código QR que aparece allí.
awaiting-confirmation = ⏳ Ya escaneaste este código QR: el inicio de sesión en { $site } espera tu respuesta. Usa los botones de abajo (los del primer mensaje también sirven).
introduction =
    👋 Te ayudo a iniciar sesión en { $site }. Abre su página de inicio de sesión en el navegador y escanea el código QR con la cámara del teléfono, o toca «Abrir en Telegram» si ya estás en el teléfono.

    Envía /sessions para ver dónde has iniciado sesión con tu cuenta de Telegram y cerrar la sesión de los navegadores.
refused = 🚫 No puedes iniciar sesión en { $site } con esta cuenta de Telegram. No se ha iniciado ninguna sesión.
refused-because = 🚫 No puedes iniciar sesión en { $site } con esta cuenta de Telegram. { $reason } No se ha iniciado ninguna sesión.
denied = 🚫 Inicio de sesión en { $site } rechazado. Nadie ha entrado con tu cuenta.
wrong-code = 🚫 Ese no era el número que muestra la página de inicio de sesión de { $site }, así que nadie ha entrado. Si no iniciaste tú este acceso, puede que alguien te haya mostrado su código QR: ignóralo.

## La solicitud de confirmación

confirm-title = 🔐 ¿Iniciar sesión en { $site }?
confirm-asked = Un navegador pidió iniciar sesión en { $site } con tu cuenta de Telegram:
confirm-browser = • Navegador: { $browser }
confirm-ip = • Dirección IP: { $ip }
confirm-time = • Hora: { $time }
confirm-hint-button = Confirma solo si eres tú y estás ahora delante de esa pantalla.
confirm-hint-code = Toca el número que aparece en la página de inicio de sesión. Si no ves ningún número o no fuiste tú, toca Rechazar.
button-confirm = ✅ Confirmar
button-deny = ❌ Rechazar

## Navegadores y direcciones

unknown-browser = un navegador desconocido
listed-unknown-browser = Un navegador desconocido
confirm-unknown-browser = navegador desconocido
unknown-ip = desconocida
browser-on-system = { $browser } en { $os }

## /sessions y sus botones

no-sessions = 🔑 No tienes sesiones activas: ningún navegador ha iniciado sesión con tu cuenta de Telegram.
sessions-heading = 🔑 Tus sesiones activas ({ $count }), las más recientes primero:
sessions-heading-paged = 🔑 Tus sesiones activas ({ $count }), las más recientes primero, página { $page } de { $pages }:
session-entry =
    { $n }. { $site }
    { $device }, IP { $ip }
session-times = Inicio: { $createdAt }, último uso: { $lastUsedAt }
sessions-footer = Toca Cerrar para cerrar la sesión de ese navegador.
button-end-session = ❌ Cerrar { $n }: { $site }
button-newer = ◀ Más recientes
button-older = Más antiguas ▶
button-end-all = 🚪 Cerrar las { $count } sesiones
session-ended = ✅ Se cerró la sesión de { $site } desde { $device }. Ese navegador ya no tiene la sesión iniciada.
sessions-ended =
    { $count ->
        [one] ✅ Se cerró { $count } sesión. Ese navegador ya no tiene la sesión iniciada.
       *[other] ✅ Se cerraron { $count } sesiones. Esos navegadores ya no tienen la sesión iniciada.
    }
session-gone = ℹ️ Esa sesión ya había terminado o no es tuya: no se ha cambiado nada.
no-sessions-to-end = ℹ️ No quedaban sesiones por cerrar: no se ha cambiado nada.
no-sessions-left = Ya no te quedan sesiones activas.

## El aviso de un nuevo inicio de sesión

new-login =
    🔔 Nuevo inicio de sesión en { $site } desde { $device }, { $ip }, el { $time }.

    Si no fuiste tú, toca Cerrar para cerrar al instante la sesión de ese navegador. /sessions muestra todas tus sesiones.
new-login-unknown-ip = dirección IP desconocida
button-end-this-session = ❌ Cerrar esta sesión

## Avisos breves al tocar un botón

answer-confirmed = Sesión iniciada. Ya puedes volver al navegador.
answer-denied = Inicio de sesión rechazado.
answer-wrong-code = Número incorrecto: inicio de sesión rechazado.
answer-expired = Este inicio de sesión ha caducado. Escanea el nuevo código QR en el navegador.
answer-unknown = Este inicio de sesión ya no espera respuesta.
answer-wrong-user = Solo quien escaneó el código QR puede responder a este inicio de sesión.
answer-already-authenticated = Este inicio de sesión ya estaba confirmado.
answer-already-denied = Este inicio de sesión ya estaba rechazado.
answer-session-ended = Sesión cerrada: ese navegador ya no tiene la sesión iniciada.
answer-sessions-ended =
    { $count ->
        [one] Se cerró { $count } sesión.
       *[other] Se cerraron { $count } sesiones.
    }
answer-no-sessions-to-end = No quedaban sesiones por cerrar.
answer-session-gone = Esa sesión ya terminó o no es tuya.
answer-sessions-page = Página { $page } de { $pages }

## El menú del chat

command-sessions = Dónde tienes la sesión iniciada; cerrar sesiones
command-help = Qué hace este bot
