# A linha de comando: validate, chat e as mensagens em volta deles.

## Variables: $value is the normalized value; $field, $region and $lang what the operator typed; $url a database address.

validate-accept = Aceito. Valor normalizado: { $value }
validate-warn = Aceito com avisos. Valor normalizado: { $value }
validate-review = Aceito, sujeito a revisão por uma pessoa. Valor normalizado: { $value }
validate-reject = Recusado.
# $char is the refused character as a code point (U+202E).
cli-bad-user = O nome de usuário contém um caractere de controle ou invisível ({ $char }): escolha um nome simples com --user.
cli-unknown-field = Campo desconhecido: “{ $field }”. Os campos são: phone, display-name, business-id, logo, email, store-account, category, description.
cli-unknown-region = Região desconhecida: “{ $region }”. Use o código de país com duas letras, como BR ou US.
cli-unknown-language = Idioma desconhecido: “{ $lang }”. Use en ou pt-BR.
cli-database-unavailable = Não foi possível abrir o banco de dados em { $url }. Confira o endereço (--database-url ou WABA_DATABASE_URL) e se o servidor está no ar.
console-saved = Suas respostas estão salvas. Rode o chat de novo para continuar de onde parou.
console-logo-hint = No terminal, digite o caminho do arquivo (ou arraste o arquivo para cá).
error-internal = Algo deu errado do nosso lado, mas suas respostas estão seguras. Tente de novo em instantes.

## Staff operations. Variables: $reference is a request reference; $status a status label or id; $from and $to status ids; $field a field id; $count a number; $account, $name, $who the request’s store account, display name and requester; $days business days; $expected and $date dates.

cli-unknown-status = Status desconhecido: “{ $status }”. Os status são: submitted, in_review, needs_info, awaiting_client_approval, approved_by_client, number_registered, active, rejected, cancelled, expired.
lifecycle-not-found = Não existe a solicitação { $reference }.
lifecycle-reason-required = Isto exige um motivo (--reason).
lifecycle-no-fields = Indique pelo menos um campo a corrigir (--field), por exemplo --field display_name.
lifecycle-unknown-field = “{ $field }” não é um campo. Os campos são: store_account, email, business_id, admin_available, display_name, logo, phone, phone_attestations, category, description, business_verification, existing_account.
lifecycle-not-yours = Essa solicitação não é sua.
lifecycle-duplicate = Isso já foi feito.
transition-final = A solicitação está em { $from }, um status final: ela não pode mais mudar.
transition-not-allowed = Uma solicitação não pode passar de { $from } para { $to }.
transition-forbidden = Você não pode passar uma solicitação de { $from } para { $to }.
requests-moved = { $reference } agora está: { $status }.
requests-asked = { $reference } agora aguarda as correções do lojista, que já foi avisado do que corrigir.
requests-noted = Observação registrada em { $reference }.
requests-erased = Os dados pessoais de { $reference } foram apagados: contato, respostas, logotipo e observações. A referência, os status e as datas ficam para as estatísticas.
requests-erase-confirm = Isso apaga de vez os dados pessoais de { $reference } (e cancela a solicitação, se ainda estiver aberta). Para continuar, execute o comando de novo com --confirm.
requests-none = Nenhuma solicitação.
requests-group = { $status } ({ $count })
requests-line =
    { $days ->
        [0] { $reference }  { $account }  “{ $name }”  0 dias úteis neste status, previsão { $expected }
        [one] { $reference }  { $account }  “{ $name }”  { $days } dia útil neste status, previsão { $expected }
       *[other] { $reference }  { $account }  “{ $name }”  { $days } dias úteis neste status, previsão { $expected }
    }
requests-flag-overdue = atrasada
requests-flag-unreachable = lojista inalcançável
requests-flag-no-ticket = chamado ainda não aberto
requests-failed-jobs =
    { $count ->
        [one] { $count } tarefa falhou e precisa de atenção:
       *[other] { $count } tarefas falharam e precisam de atenção:
    }
requests-help-wanted = Lojistas que pediram uma pessoa ({ $count }):
requests-help-line = { $who }, em “{ $field }”, em { $date }
requests-show-title = Solicitação { $reference }: { $status }
requests-show-age =
    { $days ->
        [0] 0 dias úteis neste status
        [one] { $days } dia útil neste status
       *[other] { $days } dias úteis neste status
    }
requests-show-expected = previsão { $date }
requests-show-erased = dados pessoais apagados em { $date }
requests-show-status = Status
requests-show-history = Histórico:
stats-overdue = Solicitações abertas passadas da previsão: { $count }.

## Configuration and serve. Variables: $key is a configuration key or file; $problem what is wrong with it; $reference a request reference.

config-invalid = A configuração é inválida: { $key }: { $problem }
serve-failed = O bot não conseguiu iniciar ou parou com um erro: { $problem }
lifecycle-fix-in-progress = O lojista já está corrigindo a solicitação { $reference }; peça de novo quando essa correção for enviada.

## Configuration problems. Variables: $value is the value given; $detail the parser’s own explanation; $desk a desk name; $addr a listen address.

config-syntax = o arquivo não é um TOML válido ({ $detail })
config-unreadable = não foi possível ler o arquivo ({ $detail })
config-not-a-number = “{ $value }” não é um número
config-not-a-table = precisa ser uma tabela de chaves
config-bad-database-url = precisa começar com sqlite:// ou postgres://
config-bad-address = “{ $value }” não é um endereço como 127.0.0.1:8080
config-required-for-zendesk = é obrigatório quando a central é zendesk
config-unknown-desk = “{ $value }” não é builtin nem zendesk
config-unknown-log-format = “{ $value }” não é text nem json
config-outbox-minimum = workers e max_attempts precisam ser pelo menos 1
config-lease-range = precisa estar entre 2 e 3600 segundos
config-at-most-an-hour = poll_interval_ms e shutdown_grace_secs podem ser no máximo uma hora
config-unknown-locale = “{ $value }” não é en nem pt-BR
config-bad-telegram-token = não é um token de bot como o BotFather fornece (123456789:ABC…)
config-bad-url = “{ $value }” não é um endereço http:// ou https://
config-bad-graph-version = “{ $value }” não é uma versão da Graph API, como v23.0
config-unknown-registration = “{ $value }” não é chat (o bot registra os números, pedindo o código ao lojista) nem staff (a equipe registra)
config-required-for-webhook = é obrigatório quando telegram.webhook_url está definido
config-bad-webhook-secret = precisa ter de 1 a 256 letras, dígitos, _ ou -
config-required-for-discord = é obrigatório para ativar o Discord (application_id, public_key e token)
config-required-for-slack = é obrigatório para ativar o Slack (bot_token e signing_secret)
config-required-for-signup = é obrigatório para oferecer o Cadastro Incorporado (signup.config_id, meta.app_id, public_url, meta.app_secret e meta.system_user_token)
config-link-minutes-range = deve ficar entre 1 e 10080 minutos (uma semana)
# $value is the id as configured.
config-bad-slack-id = “{ $value }” não é um id do Slack (uma letra maiúscula seguida de maiúsculas e números, como C0123ABCD ou U0123ABCD).
config-bad-slack-token = não é um token desse tipo: o token do bot começa com xoxb-, o token do app com xapp-
config-bad-public-key = não é uma chave pública Ed25519 em hexadecimal (64 caracteres), como o Developer Portal mostra
serve-cannot-listen = Não foi possível escutar em { $addr }: o endereço está em uso ou não é permitido (http_addr, WABA_HTTP_ADDR).
serve-telegram-unavailable = Não foi possível acessar a Bot API do Telegram para configurar o bot. Verifique telegram.token (WABA_TELEGRAM_TOKEN) e telegram.api_url (WABA_TELEGRAM_API_URL).
serve-discord-unavailable = Não foi possível registrar os comandos do Discord. Verifique discord.token (WABA_DISCORD_TOKEN), discord.application_id e discord.api_url.

## The Zendesk desk. Variables: $reference a request reference; $name the display name; $account the store account; $who a user; $field a step label; $language a language tag; $text what the merchant wrote; $fields field names.

zendesk-subject = Integração com o WhatsApp { $reference }: { $name } ({ $account })
zendesk-help-wanted = O lojista pediu para falar com uma pessoa: { $who }, na etapa “{ $field }”, idioma { $language }. Fale com ele pelo chat ou por e-mail.
zendesk-merchant-wrote = O lojista escreveu no chat: { $text }
zendesk-fixed = O lojista enviou as correções pedidas ({ $fields }); a solicitação voltou para análise.

## `desk check`. Variables: $email and $role the API user's; $url the Zendesk address; $key a configuration key; $id a field id; $title a field's title; $tags tag names; $endpoint a webhook address.

desk-check-builtin = A central é a embutida (este banco de dados): não há o que verificar.
desk-check-account = O Zendesk respondeu: conectado como { $email } (função { $role }).
desk-check-refused = O Zendesk recusou as credenciais: confira zendesk.email e zendesk.api_token (um token de API, com o acesso por token ativado).
desk-check-unreachable = Não foi possível acessar o Zendesk em { $url }: confira zendesk.url e a rede.
desk-check-field = { $key } ({ $id }) é o campo “{ $title }”.
desk-check-field-missing = { $key } ({ $id }) não é um campo de ticket desta conta: crie o campo ou corrija o id.
desk-check-field-unset = { $key } não está definido: os tickets não vão trazer esse valor em um campo.
desk-check-tags = Tags de status em uso: { $tags }.
desk-check-no-tags = Nenhuma tag de status (waba_status_…) está em uso ainda; elas aparecem com o primeiro ticket.
desk-check-webhook = O webhook para { $endpoint } existe.
desk-check-no-webhook = Nenhum webhook aponta para /webhooks/zendesk: as mudanças feitas no Zendesk não vão chegar aos lojistas. Veja o README.
