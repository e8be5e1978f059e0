# Mensagens do bot (Telegram) em português do Brasil. Chaves e variáveis: as de en/bot.ftl.
# $site é o nome do site (APP_NAME ou o do cliente OpenID): não se traduz.

## Respostas a /start, /help e aos botões de confirmação

logged-in = ✅ Você entrou em { $site }; já pode voltar ao navegador.
expired = ⌛ Este link de login expirou. Volte para { $site } no navegador e escaneie o novo QR code (ou recarregue a página para obter um).
unknown-link = ⚠️ Este link de login não é válido ou já foi usado. Abra a página de login de { $site } no navegador e escaneie o QR code mostrado lá.
awaiting-confirmation = ⏳ Você já escaneou este QR code: o login em { $site } está aguardando sua resposta. Use os botões abaixo (os da primeira mensagem também funcionam).
introduction =
    👋 Eu faço seu login em { $site }. Abra a página de login no navegador e escaneie o QR code com a câmera do celular, ou toque em "Abrir no Telegram" se já estiver no celular.

    Envie /sessions para ver onde você está conectado com sua conta do Telegram e desconectar navegadores.
refused = 🚫 Não é possível entrar em { $site } com esta conta do Telegram. Ninguém entrou.
refused-because = 🚫 Não é possível entrar em { $site } com esta conta do Telegram. { $reason } Ninguém entrou.
denied = 🚫 Login em { $site } recusado. Ninguém entrou com a sua conta.
wrong-code = 🚫 Esse não era o número mostrado na página de login de { $site }, então ninguém entrou. Se não foi você quem iniciou este login, alguém pode ter mostrado o QR code dele a você: ignore.

## O pedido de confirmação

confirm-title = 🔐 Entrar em { $site }?
confirm-asked = Um navegador pediu para entrar em { $site } com sua conta do Telegram:
confirm-browser = • Navegador: { $browser }
confirm-ip = • Endereço IP: { $ip }
confirm-time = • Horário: { $time }
confirm-hint-button = Confirme só se for você, diante dessa tela agora.
confirm-hint-code = Toque no número mostrado na página de login. Se não houver número ou se não foi você, toque em Recusar.
button-confirm = ✅ Confirmar
button-deny = ❌ Recusar

## Navegadores e endereços

unknown-browser = um navegador desconhecido
listed-unknown-browser = Navegador desconhecido
confirm-unknown-browser = navegador desconhecido
unknown-ip = desconhecido
browser-on-system = { $browser } no { $os }

## /sessions e seus botões

no-sessions = 🔑 Você não tem sessões ativas: nenhum navegador está conectado com sua conta do Telegram.
sessions-heading = 🔑 Suas sessões ativas ({ $count }), das mais recentes:
sessions-heading-paged = 🔑 Suas sessões ativas ({ $count }), das mais recentes, página { $page } de { $pages }:
session-entry =
    { $n }. { $site }
    { $device }, IP { $ip }
session-times = Login em { $createdAt }, último uso em { $lastUsedAt }
sessions-footer = Toque em Encerrar para desconectar esse navegador.
button-end-session = ❌ Encerrar { $n }: { $site }
button-newer = ◀ Mais recentes
button-older = Mais antigas ▶
button-end-all = 🚪 Encerrar todas as { $count } sessões
session-ended = ✅ Sessão de { $site } em { $device } encerrada. Esse navegador foi desconectado.
sessions-ended =
    { $count ->
        [one] ✅ { $count } sessão encerrada. Esse navegador foi desconectado.
       *[other] ✅ { $count } sessões encerradas. Esses navegadores foram desconectados.
    }
session-gone = ℹ️ Essa sessão já tinha terminado ou não é sua: nada foi alterado.
no-sessions-to-end = ℹ️ Não havia mais sessões para encerrar: nada foi alterado.
no-sessions-left = Você não tem mais sessões ativas.

## O aviso de um novo login

new-login =
    🔔 Novo login em { $site } a partir de { $device }, { $ip }, em { $time }.

    Se não foi você, toque em Encerrar para desconectar esse navegador na hora. /sessions lista todas as suas sessões.
new-login-unknown-ip = endereço IP desconhecido
button-end-this-session = ❌ Encerrar esta sessão

## Avisos rápidos ao tocar em um botão

answer-confirmed = Login feito. Já pode voltar ao navegador.
answer-denied = Login recusado.
answer-wrong-code = Número errado: login recusado.
answer-expired = Este login expirou. Escaneie o novo QR code no navegador.
answer-unknown = Este login não está mais aguardando resposta.
answer-wrong-user = Só quem escaneou o QR code pode responder a este login.
answer-already-authenticated = Este login já foi confirmado.
answer-already-denied = Este login já foi recusado.
answer-session-ended = Sessão encerrada: esse navegador foi desconectado.
answer-sessions-ended =
    { $count ->
        [one] { $count } sessão encerrada.
       *[other] { $count } sessões encerradas.
    }
answer-no-sessions-to-end = Não havia mais sessões para encerrar.
answer-session-gone = Essa sessão já terminou ou não é sua.
answer-sessions-page = Página { $page } de { $pages }

## O menu do chat

command-sessions = Onde você está conectado; desconectar navegadores
command-help = O que este bot faz
