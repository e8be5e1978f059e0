# A página de login. As variáveis não se traduzem: $site é o nome de um site,
# $name o nome de uma pessoa no Telegram, $code o número a escolher.

## Title and heading

page-title = Entrar com o Telegram
# The heading once logged in.
page-title-logged-in = Você entrou
page-title-site = Entrar em { $site } com o Telegram
site-fallback = o site

## The status line

status-getting-code = Gerando um QR code…
status-getting-new-code = Gerando um novo QR code…
status-checking-session = Verificando sua sessão…
status-waiting = Aguardando você escanear o QR code
status-new-code = Novo QR code: o anterior expirou. Aguardando você escaneá-lo
status-logged-out = Você saiu. Escaneie o novo QR code para entrar de novo
status-too-many =
    Muitos códigos novos desta rede. Tentando de novo em { $seconds ->
        [one] { $seconds } segundo
       *[other] { $seconds } segundos
    }…
status-confirm = Confirme no Telegram
status-confirm-named = Confirme no Telegram, { $name }
status-confirm-code = Confirme no Telegram: escolha { $code }
status-confirm-named-code = Confirme no Telegram, { $name }: escolha { $code }
status-going-back = Login feito. Voltando para { $site }…
status-logging-out = Saindo…
status-logged-in = Conectado como { $name }
status-session-ended = Você foi desconectado. { $reason }

## The QR code and what to do with it

login-heading = Escaneie o QR code com o seu celular
qr-image =
    .alt = QR code para entrar com o Telegram; o botão Abrir no Telegram abre o mesmo login
match-before = Escolha
match-after = no Telegram
countdown = Expira em { $time }
countdown-label = O QR code expira em { $duration }
# Rate limited: $time is minutes:seconds until the page asks again.
retry-countdown = Tentando de novo em { $time }
retry-countdown-label = Nova tentativa em { $duration }
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
open-telegram = Abrir no Telegram
# On a touch screen, above the QR code (Open in Telegram comes first there).
other-device = Em outro aparelho? Escaneie este QR code
copy-link = Copiar link
# Said beside Copy link once it was pressed.
link-copied = Link copiado
copy-failed = Não foi possível copiar o link
demo-label = Modo demonstração:
demo-text = nenhum bot do Telegram está conectado. Conclua o login a partir da pasta do projeto com:
step-open = Abra a câmera ou o Telegram no seu celular
step-scan = Escaneie este QR code
step-start = Toque em <strong>Começar</strong> na conversa com o bot
# The steps on a touch screen, where Telegram is on the same device.
step-open-touch = Toque em <strong>Abrir no Telegram</strong>
step-scan-touch = O Telegram abre a conversa com o bot
# With LOGIN_CONFIRMATION=code, before the scan (the number comes after it).
step-start-code = Toque em <strong>Começar</strong> na conversa com o bot e escolha o número que esta página mostrar
step-confirm = Toque em Confirmar na conversa com o bot
step-pick = Escolha o mesmo número na conversa com o bot

## When something went wrong or is over

expired-title = Este QR code expirou
expired-unconfirmed = Não foi confirmado no Telegram a tempo. Gere um novo código e escaneie de novo.
expired-text = Para sua segurança, os códigos de login valem só alguns minutos. Gere um novo quando estiver pronto para escanear.
new-code = Mostrar um novo QR code
denied-title = Login recusado
denied-text = O login foi recusado no Telegram, então este navegador não entrou. Se foi engano, comece de novo com um novo QR code.
denied-text-site = O login foi recusado no Telegram. Voltando para { $site }…
go-back = Voltar agora
try-again = Tentar de novo
logged-out-here-title = Você saiu só neste navegador
logged-out-here-text = Este navegador esqueceu a sessão, mas não foi possível falar com o servidor para encerrá-la, então lá ela continua válida até expirar.
log-in-again = Entrar de novo
request-ended-title = Este pedido de login terminou
request-ended-text = Volte ao site de onde você veio e entre de novo.
unreachable-title = Não foi possível falar com o servidor
unreachable-text = Verifique sua conexão e tente de novo.

## Why a session ended

session-ended-title = Você foi desconectado
session-ended = Sua sessão terminou.
session-ended-in-telegram = Você encerrou esta sessão no Telegram.
session-ended-from-another-session = Você encerrou esta sessão em outro navegador.
session-logged-out = Você saiu.
session-refresh-token-reused = Sua sessão foi encerrada porque o token de renovação dela foi usado duas vezes (alguém pode tê-lo copiado).
session-logged-out-of-site = Você saiu do site.
session-ended-by-site = O site encerrou sua sessão.

## Who is logged in

fact-id = ID do Telegram
log-out = Sair

## The footer

transport-socket = Atualiza assim que algo acontece
transport-polling = Procura novidades a cada poucos segundos
