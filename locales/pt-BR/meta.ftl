# The Meta steps: the registration of the number from the chat, and what Meta tells staff.

## O registro do número, no chat do lojista. Variables: $reference is a request reference (WA-000042); $number the business number; $method how Meta sends the code (sms or voice); $wait how long to wait (a meta-wait message).

meta-code-sent =
    { $method ->
        [voice] Solicitação { $reference }: a Meta está ligando para { $number } para ditar um código de 6 dígitos. Digite o código aqui assim que recebê-lo.
       *[other] Solicitação { $reference }: a Meta está enviando um código de 6 dígitos por SMS para { $number }. Digite o código aqui assim que ele chegar.
    } Não recebeu em alguns minutos? Envie /reenviar para um novo SMS ou /ligar para receber por ligação.
meta-code-checking = Solicitação { $reference }: conferindo o código com a Meta…
meta-code-busy = Solicitação { $reference }: ainda estamos esperando a resposta da Meta para a etapa anterior. Um momento: eu escrevo assim que terminar.
meta-code-wait = Solicitação { $reference }: a Meta pede uma pausa antes da próxima tentativa. Tente de novo { $wait }.
meta-code-format = O código de registro tem 6 dígitos, como 123456 (na mensagem da Meta ele aparece como 123-456). Digite só os 6 dígitos.
meta-code-ask-new = Solicitação { $reference }: não há nenhum código aguardando conferência agora. Envie /reenviar para um novo código por SMS ou /ligar para receber por ligação.
meta-code-requesting =
    { $method ->
        [voice] Solicitação { $reference }: pedindo à Meta que ligue para o número com um novo código…
       *[other] Solicitação { $reference }: pedindo à Meta um novo código por SMS…
    }
meta-code-none = Não há nenhum número seu sendo registrado agora, então não há código para enviar. Envie /status para ver como estão suas solicitações.

## Quanto esperar. Variables: $minutes and $hours are counts.

meta-wait-minutes =
    { $minutes ->
        [one] daqui a cerca de um minuto
       *[other] daqui a cerca de { $minutes } minutos
    }
meta-wait-hours =
    { $hours ->
        [one] daqui a cerca de uma hora
       *[other] daqui a cerca de { $hours } horas
    }

## O que as recusas da Meta durante o registro significam, para o lojista. Variables: $reference is a request reference; $wait how long to wait (a meta-wait message).

meta-problem-wrong-code = Solicitação { $reference }: esse código não é o que a Meta enviou. Confira o SMS ou a ligação mais recente e digite os 6 dígitos de novo, ou envie /reenviar para um novo código.
meta-problem-code-expired = Solicitação { $reference }: esse código expirou. Envie /reenviar para receber um novo por SMS ou /ligar para receber por ligação.
meta-problem-too-many-requests = Solicitação { $reference }: a Meta limita quantas vezes um número pode pedir códigos, e este número atingiu o limite por enquanto. Envie /reenviar { $wait }; pedir antes disso só aumenta a espera.
meta-problem-register-limit = Solicitação { $reference }: a Meta permite 10 tentativas de registro por número a cada 72 horas, e este número já as usou. Podemos tentar de novo { $wait }; nossa equipe já foi avisada e vai manter você informado.
meta-problem-pin-mismatch = Solicitação { $reference }: este número já tem a confirmação em duas etapas ativada com um PIN que não conhecemos. Um administrador do seu portfólio empresarial pode desativá-la no Gerenciador do WhatsApp (Números de telefone > Configurações > Confirmação em duas etapas); nossa equipe já foi avisada e vai entrar em contato.
meta-problem-needs-verification = Solicitação { $reference }: a Meta quer verificar o número de novo antes de registrá-lo. Envie /reenviar para um novo código por SMS ou /ligar para receber por ligação.
meta-problem-recently-deleted = Solicitação { $reference }: este número acabou de ser removido de uma conta do WhatsApp, e a Meta pede alguns minutos antes de adicioná-lo de novo. Envie /reenviar { $wait }.
meta-problem-code-not-sent = Solicitação { $reference }: a Meta não conseguiu enviar o código desse jeito para este número. Envie /ligar para receber por ligação ou /reenviar para tentar o SMS de novo mais tarde.
meta-problem-refused = Solicitação { $reference }: a Meta recusou esta etapa do registro. Nossa equipe já foi avisada e vai entrar em contato; você não precisa fazer nada agora.

## Por que a Meta rejeitou um nome de exibição (phone_number_name_update), nas palavras do lojista. Variables: $reason is Meta's reason as it sent it.

meta-name-rejected-name-employee-issue = A Meta rejeitou o nome de exibição porque ele parece o nome de uma pessoa ou a identificação de um funcionário. Use o nome da sua empresa, como os clientes a conhecem.
meta-name-rejected-name-individual-issue = A Meta rejeitou o nome de exibição porque ele parece o nome de uma pessoa. Use o nome da sua empresa, como os clientes a conhecem.
meta-name-rejected-name-endclient-notrelated = A Meta rejeitou o nome de exibição porque ele é de outra empresa, não da dona da conta. Use o nome da sua própria loja, como aparece no seu site.
meta-name-rejected-name-format-unacceptable = A Meta rejeitou o nome de exibição por causa do formato. Escreva como a sua marca é escrita, sem pontuação a mais, emoji, TUDO EM MAIÚSCULAS ou palavras como “oficial”.
meta-name-rejected-name-not-consistent = A Meta rejeitou o nome de exibição porque ele não corresponde à sua marca como aparece no seu site e nos seus materiais. Use exatamente o nome que os clientes veem lá.
meta-name-rejected-unknown = A Meta rejeitou o nome de exibição sem informar o motivo. Compare-o com a sua marca como aparece no seu site ou peça para falar com uma pessoa com /atendente.
meta-name-rejected-other = A Meta rejeitou o nome de exibição ({ $reason }). Compare-o com a sua marca como aparece no seu site ou peça para falar com uma pessoa com /atendente.

## Avisos da Meta para a equipe. Variables: $event is Meta's event name; $business a business portfolio id; $account a WhatsApp Business account id; $references and $reference request references; $detail Meta's detail; $decision the review's decision; $number a phone number; $name a display name; $status a request status; $other another request's reference; $reason Meta's reason; $problem what a refusal means; $said Meta's own words.

meta-alert-unmatched = Meta: { $event } para o portfólio empresarial { $business } (conta do WhatsApp Business { $account }), mas nenhuma solicitação desse portfólio aguarda o aceite do administrador. Confira e mova a solicitação manualmente se for nossa.
meta-alert-ambiguous = Meta: { $event } para o portfólio empresarial { $business } (conta do WhatsApp Business { $account }) serve para várias solicitações aguardando aceite ({ $references }). Nada foi movido: mova a solicitação certa manualmente.
meta-alert-account = Meta: { $event } ({ $detail }) na conta do WhatsApp Business { $account }, solicitação { $reference }. Confira a conta no Gerenciador do WhatsApp.
meta-alert-name-unmatched = Meta: análise do nome de exibição { $decision } para { $number } (“{ $name }”), mas nenhuma solicitação aberta tem esse número.
meta-alert-name-deferred = Meta: a análise do nome de exibição “{ $name }” da solicitação { $reference } está { $decision }. Nada foi movido; acompanhe no Gerenciador do WhatsApp.
meta-alert-name-out-of-step = Meta: análise do nome de exibição { $decision } para “{ $name }” da solicitação { $reference }, que está em { $status }. Nada foi movido: confira e mova a solicitação manualmente.
meta-alert-name-rejected-busy = A Meta rejeitou o nome de exibição da solicitação { $reference } ({ $reason }), mas o lojista está corrigindo a solicitação { $other }. Peça um novo nome quando essa correção for enviada.
meta-alert-registration = O registro do número da solicitação { $reference } parou ({ $problem }). A Meta disse: { $said }
meta-alert-subscribe = O número da solicitação { $reference } foi registrado, mas a inscrição do app na conta falhou. A Meta disse: { $said }

## `meta events`: mudanças da Meta guardadas para a equipe. Variables: $id a number; $at a date and time; $field and $event Meta's names; $outcome why it was kept; $account an account id; $business a portfolio id; $reference a request reference.

meta-events-none = Nenhuma mudança da Meta aguardando a equipe.
meta-events-line = #{ $id } { $at } { $field } { $event }: { $outcome } (conta { $account }, portfólio { $business }, solicitação { $reference })
meta-pin-none = A solicitação { $reference } não tem número registrado pelo bot, então não há PIN para mostrar.
