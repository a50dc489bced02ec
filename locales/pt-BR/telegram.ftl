# The Telegram channel: what merchants, staff and managers read there besides the conversation.

## Merchants in a private chat.

telegram-private-only = Vamos conversar no privado: abra uma conversa comigo e envie /start.
telegram-managers-only = Só gestores podem usar esse comando.

## Staff in the group. Variables: $reference is a request reference; $field a field label; $status a status label; $who a merchant’s channel and id; $language their language tag.

telegram-not-staff = Só quem faz parte do grupo da equipe de suporte pode alterar as solicitações.
telegram-staff-help = Neste grupo: /status REFERÊNCIA ou conta da loja, /pending [status] [página], /stats [primeiro dia, AAAA-MM-DD]. Use os botões abaixo de cada solicitação para movê-la.
telegram-status-usage = Envie /status seguido de uma referência (WA-000042) ou de uma conta da loja.
telegram-reason-ask = Responda a esta mensagem dizendo o que o lojista deve corrigir no campo “{ $field }” da solicitação { $reference }.
telegram-reason-reject = Responda a esta mensagem com o motivo da recusa de { $reference }. O lojista vai ler o motivo.
telegram-open-chat = Abrir a conversa
telegram-logo-caption = Logo de { $reference }

## Command menu descriptions.

telegram-command-start = Começar ou retomar sua solicitação
telegram-command-help = Explicar a pergunta atual
telegram-command-back = Voltar para a pergunta anterior
telegram-command-skip = Pular uma pergunta opcional
telegram-command-status = Ver a situação das suas solicitações
telegram-command-language = Trocar entre português e inglês
telegram-command-human = Falar com uma pessoa
telegram-command-restart = Começar de novo
telegram-command-cancel = Cancelar o que você começou
telegram-command-erase = Apagar os seus dados
telegram-command-staff-status = Uma solicitação por referência ou conta da loja
telegram-command-pending = Solicitações em aberto, por status
telegram-command-stats = Contagens e prazos
