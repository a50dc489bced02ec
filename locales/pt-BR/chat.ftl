# Chat channels (Telegram, Discord): what merchants and staff read there besides the conversation.

## Merchants.

chat-old-button = Esse botão é de uma pergunta anterior. Por favor, responda à pergunta mais recente.

## Staff. Variables: $reference is a request reference; $field a field label; $status a status label; $who a merchant’s channel and id (or a mention); $language their language tag.

staff-button-move = → { $status }
staff-button-ask = Pedir correção…
staff-button-reject = Recusar…
staff-pick-field = Qual campo o lojista deve corrigir em { $reference }?
staff-help-wanted = 🙋 Um lojista pediu para falar com uma pessoa: { $who }, na etapa “{ $field }”, idioma { $language }.
staff-reason-missing = Falta o motivo: escreva algumas palavras explicando (um comando não vale como motivo).
# $char is the refused character as a code point (U+202E).
staff-reason-hidden-char = O motivo contém um caractere de controle ou invisível ({ $char }), que costuma vir junto quando se copia um texto: digite de novo sem ele.
staff-queries-not-allowed = Só a equipe de suporte e os gestores podem consultar isso.
staff-only = Só a equipe de suporte pode fazer isso.
slack-answered-in-dm = Respondi nas nossas mensagens diretas.
slack-not-staff = Só a equipe de suporte pode fazer isso.
slack-not-allowed = Só a equipe de suporte e os gestores podem consultar isso.
slack-fields-label = Campos que o lojista deve corrigir
slack-reason-label = Motivo (o lojista vai ler)
# $reference is a request reference (WA-000042).
slack-reason-ask-title = Corrigir { $reference }
# $reference is a request reference (WA-000042).
slack-reason-reject-title = Recusar { $reference }
slack-submit = Enviar
slack-close = Cancelar
slack-pick-a-field = Escolha pelo menos um campo para o lojista corrigir.
slack-form-title = Integração WhatsApp
slack-home-title = A sua integração com o WhatsApp
slack-home-empty = Nenhuma solicitação ainda. Digite /cadastrar para começar: pergunto uma coisa de cada vez e confiro cada resposta na hora.
# $reference is a request reference; $name the display name; $status where it stands; $date since when.
slack-home-request = { $reference } · { $name }: { $status } (desde { $date })
# $command is what was typed (/frobnicate).
slack-unknown-command = Não conheço { $command }. Digite /waba e uma destas palavras: ajuda, voltar, pular, cancelar, reiniciar, idioma, atendente; /cadastrar inicia ou continua a sua solicitação, /waba-status mostra em que pé ela está.
