# A conversa com o lojista: perguntas, ajuda e o que o bot diz entre elas.

## Greetings and questions. Variables: $step is a step number; $field a field label; $reference a request reference (WA-000042).

welcome = Olá! Sou o assistente de integração com o WhatsApp: vou ajudar a levar a sua loja para a Plataforma do WhatsApp Business. Pergunto uma coisa de cada vez e confiro cada resposta na hora. Digite /ajuda a qualquer momento, /voltar para voltar ou /idioma para mudar para o inglês.
welcome-back = Que bom ter você de volta! Suas respostas estão salvas onde você parou.
ask-resume = Você parou no passo { $step }: { $field }. Quer continuar de lá ou começar de novo?
ask-language = Em qual idioma você prefere conversar?
ask-confirm-cancel = Cancelar e apagar tudo o que você respondeu até agora?
ask-confirm-restart = Começar de novo desde o início? As respostas dadas até agora serão apagadas.
ask-confirm-erase = Apagar os seus dados de vez? Serão apagadas as suas respostas, os contatos, o logotipo e as observações das suas solicitações e o que esta conversa guardou; uma solicitação ainda aberta é cancelada. Não dá para desfazer.
ask-field-to-edit = Qual campo você quer alterar?
ask-existing-account = A sua loja já tem uma conta do WhatsApp Business, com a gente ou com outro parceiro?
ask-store-account = Qual é o nome da conta da sua loja na plataforma de e-commerce? Só letras minúsculas e números, por exemplo: minhaloja
ask-email = Qual e-mail devemos usar para manter você informado sobre esta solicitação?
ask-business-id = Qual é a identificação do seu Gerenciador de Negócios (portfólio empresarial)? No Meta Business Suite, abra Configurações > Informações da empresa: é um número de 15 ou 16 dígitos.
ask-admin-available = Um administrador desse portfólio vai precisar aceitar a solicitação do parceiro no Gerenciador de Negócios (Configurações > Solicitações). Isso costuma levar uns 3 dias úteis, e a Meta cancela a solicitação que não for aceita em 90 dias. Haverá um administrador disponível para aceitá-la?
ask-display-name = Qual nome os clientes devem ver no WhatsApp? Ele precisa ser a sua marca como aparece no seu site, por exemplo: Loja Azul
ask-review-display-name = Esse é exatamente o nome da marca que aparece no site da loja? Uma pessoa vai comparar os dois antes de enviar para a Meta.
ask-logo = Envie o seu logotipo (a foto do perfil no WhatsApp): uma imagem JPEG ou PNG quadrada, com pelo menos 192×192 pixels e até 5 MB; o ideal é 640×640.
ask-phone = Qual número de telefone será usado no WhatsApp? Informe com DDD, por exemplo: (11) 98765-4321
ask-review-phone = Esse tipo de número precisa ser revisado por uma pessoa antes de ser usado. Manter mesmo assim?
ask-phone-owned = Esse número pertence à sua empresa?
ask-phone-reachable = Esse número consegue receber SMS ou ligação do exterior? É assim que a Meta envia o código de registro.
ask-phone-whatsapp = Esse número está em uso no WhatsApp hoje?
ask-category = Qual categoria descreve melhor o seu negócio?
ask-review-category = Pelas políticas de comércio da Meta, essa categoria precisa ser revisada por uma pessoa. Manter mesmo assim?
ask-description = Descreva o seu negócio em poucas palavras (opcional, até 512 caracteres); a descrição aparece no perfil do WhatsApp. Digite /pular para deixar em branco.
ask-business-verification = A Meta já verificou a sua empresa (verificação da empresa, no Gerenciador de Negócios)?
ask-summary = Aqui está tudo o que você me informou. Confira antes de confirmar.
ask-done = A sua solicitação { $reference } está com a nossa equipe. Digite /status para ver em que pé ela está ou /reiniciar para abrir uma nova solicitação.

## Help for each step.

help-pending = Responda à pergunta acima escolhendo uma das opções (pode digitar o número dela).
help-existing-account = É só para o nosso registro: se a loja já tem uma conta do WhatsApp Business, com a gente ou com outro parceiro, conte para que a equipe planeje a migração.
help-store-account = O nome da conta é como a plataforma de e-commerce identifica a sua loja: ele aparece no endereço do seu painel de administração. Tem só letras minúsculas e números.
help-email = Vamos escrever para esse endereço sobre a solicitação: quando ela andar e quando precisarmos de algo de você.
help-business-id = A identificação do Gerenciador de Negócios identifica a sua empresa na Meta. No Meta Business Suite (business.facebook.com), abra Configurações > Informações da empresa; a identificação é o número que aparece abaixo do nome da empresa.
help-admin-available = A solicitação do parceiro chega no seu Gerenciador de Negócios, em Configurações > Solicitações, e só um administrador do portfólio pode aceitá-la. Precisamos saber que haverá alguém para fazer isso.
help-display-name = O nome de exibição é o que os clientes veem no WhatsApp. A Meta só o aprova se ele corresponder à sua marca: sem emojis, sem endereço de site, sem tudo em maiúsculas, sem palavras como “oficial”.
help-logo = O logotipo vira a foto do perfil da sua conta no WhatsApp. Use uma imagem JPEG ou PNG quadrada, de preferência com 640×640 pixels e sem transparência.
help-phone = Este número vai ser o WhatsApp da sua loja. Ele precisa ser um número completo (não um número curto), pertencer à empresa, receber SMS ou ligação e não estar em uso no WhatsApp.
help-phone-attestations = A Meta registra o número enviando um código por SMS ou ligação. Estas perguntas garantem que o código vai chegar e que o número está livre para ser registrado.
help-category = A categoria diz aos clientes e à Meta que tipo de negócio você tem. Escolha a mais próxima; “Outros” serve quando nenhuma se encaixa.
help-description = Uma descrição curta do seu negócio, exibida no perfil do WhatsApp. Você pode pular e incluir depois.
help-business-verification = A verificação da empresa é feita pela Meta no Gerenciador de Negócios (Central de Segurança). Ela não é necessária para começar, mas é para iniciar conversas com os clientes e para ter o selo de conta oficial.
help-summary = Confira cada campo. Escolha “Alterar um campo” para corrigir algum (você volta direto para cá) ou confirme para enviar a solicitação.
help-done = A sua solicitação foi enviada. Digite /status para acompanhá-la ou /atendente para falar com uma pessoa.

## Answers, confirmations and problems. Variables: $command is what the merchant typed; $value an answer; $format, $width, $height and $kib describe the logo; $count a number of items; $field a field label; $text a message.

back-at-first-step = Este já é o primeiro passo.
cannot-skip = Este passo é obrigatório, então não dá para pular.
already-submitted = Esta solicitação já foi enviada, então não pode ser alterada por aqui.
human-requested = Pedi para uma pessoa da nossa equipe ajudar você. Ela vai entrar em contato por aqui ou por e-mail. Suas respostas até agora estão salvas.
unknown-command = Não conheço o comando { $command }. Os comandos são /ajuda, /voltar, /pular, /cancelar, /reiniciar, /idioma, /status, /atendente e /apagar.
choose-an-option = Escolha uma das opções, por favor (pode digitar o número dela).
language-changed = Combinado, daqui em diante escrevo em português.
cancelled = Suas respostas foram apagadas. Envie /iniciar quando quiser começar de novo.
not-cancelled = Nada foi cancelado; vamos continuar.
not-erased = Nada foi apagado; vamos continuar.
restarted = Começando de novo desde o início.
review-change = Tudo bem, vamos alterar.
existing-account-noted = Anotado. Se essa conta é gerenciada por outro parceiro, uma nova é criada para esta integração; a nossa equipe avisa se for preciso mais alguma coisa.
admin-required = Só podemos seguir quando um administrador puder aceitar a solicitação. Fale com um administrador do seu portfólio empresarial e volte: suas respostas estão salvas.
verification-explained = Tudo bem: a verificação não é necessária para começar. Ela é necessária para iniciar conversas (como avisos de rastreio de pedidos) e para o selo de conta oficial, e até lá o portfólio só pode registrar 2 números. Você pode verificar a empresa depois no Gerenciador de Negócios, na Central de Segurança.
unsupported-input = Só consigo ler texto, as opções e, para o logotipo, um arquivo de imagem.
message-passed-on = Passei a sua mensagem para a nossa equipe; ela fica registrada junto com a sua solicitação.
contact-not-expected = Um cartão de contato só responde à pergunta do número de telefone. Responda a esta como pedido, por favor:
edit-applied = Você editou a sua resposta sobre “{ $field }”, então eu a atualizei.
edit-not-applied = Você editou a sua resposta sobre “{ $field }”, mas o novo texto não pode ser usado, então mantive a resposta anterior:
edit-unknown = Editar essa mensagem não muda nenhuma resposta. Para mudar uma, digite /voltar ou escolha “Alterar um campo” no resumo.
edit-after-send = A sua solicitação já foi enviada, então editar uma mensagem não muda nada. Digite /status para ver em que pé ela está; a nossa equipe vai pedir aqui se algo precisar de correção.
expected-text = Digite a sua resposta em texto, por favor.
logo-expected-file = Envie o logotipo como arquivo de imagem, por favor.
noted-with-warnings = Salvo, com uma observação:
form-problems = Algumas respostas precisam de correção:
summary-incomplete = Ainda falta uma informação; vamos preenchê-la.
summary-attention =
    { $count ->
        [one] Um ponto merece atenção:
       *[other] { $count } pontos merecem atenção:
    }
current-answer = Resposta atual: { $value }
value-text = { $value }
value-logo =
    { $height ->
        [one] { $format }, { $width }×{ $height } pixel, { $kib } KB
       *[other] { $format }, { $width }×{ $height } pixels, { $kib } KB
    }
value-skipped = (pulado)
value-missing = (faltando)
value-attested-not-in-use = pertence à empresa, recebe ligações do exterior, não está no WhatsApp
value-attested-consumer-app = pertence à empresa, recebe ligações do exterior, está no aplicativo WhatsApp
value-attested-business-app = pertence à empresa, recebe ligações do exterior, está no aplicativo WhatsApp Business
note-about-field = { $field }: { $text }
verdict-accept = { $text }
verdict-warn = Aviso: { $text }
verdict-review = Para revisão por uma pessoa: { $text }
verdict-reject = Recusado: { $text }
offer-human = Já foram algumas tentativas. Digite /atendente e uma pessoa da nossa equipe vai ajudar você; tudo o que você respondeu fica guardado.

## Refusals and the detailed requirements shown after three failed tries.

rejected-store-account = Esse nome de conta não pode ser usado:
rejected-email = Esse e-mail não pode ser usado:
rejected-business-id = Essa identificação não pode ser usada:
rejected-display-name = Esse nome de exibição não pode ser usado:
rejected-logo = Esse logotipo não pode ser usado:
rejected-phone = Esse número não pode ser usado:
rejected-phone-attestations = O número não atende a um requisito:
rejected-category = Essa categoria não é válida:
rejected-description = Essa descrição não pode ser usada:
requirements-store-account = Requisitos: o nome da conta da sua loja na plataforma de e-commerce, com 2 a 63 caracteres, só letras minúsculas (a–z) e números, sem espaços, hífens ou acentos.
requirements-email = Requisitos: um endereço de e-mail, como contato@minhaloja.com.br, com no máximo 128 caracteres.
requirements-business-id = Requisitos: a identificação do portfólio no Meta Business Suite (Configurações > Informações da empresa): só números, em geral 15 ou 16. Espaços, pontos e hífens são ignorados.
requirements-display-name = Requisitos: de 3 a 75 caracteres; a marca como aparece no seu site; sem emojis, sem ™ ® ©, sem endereço de site ou de e-mail, não tudo em maiúsculas (exceto siglas curtas), sem pontuação repetida e sem as palavras WhatsApp, Facebook, Instagram, Meta, oficial ou verificado.
requirements-logo = Requisitos: uma imagem JPEG ou PNG (outros formatos renomeados para .png não funcionam), quadrada, com pelo menos 192×192 pixels e no máximo 5 MB. O ideal é 640×640 pixels, sem transparência.
requirements-phone = Requisitos: um número de telefone completo com DDD (e, fora do Brasil, o código do país começando com +); de preferência um celular. Números curtos, pagers, caixa postal e números que já estão numa solicitação aberta não podem ser usados.
requirements-phone-attestations = Requisitos: o número precisa pertencer à sua empresa, receber SMS ou ligação do exterior e não estar em uso no WhatsApp, a não ser pelo fluxo de coexistência.
requirements-category = Requisitos: uma das categorias da lista; você pode digitar o número ou o nome dela.
requirements-description = Requisitos: no máximo 512 caracteres de texto simples; mais ou menos os 256 primeiros são exibidos. Você também pode digitar /pular.

## Labels of fields and options.

field-existing-account = Conta do WhatsApp existente
field-store-account = Conta da loja
field-email = E-mail de contato
field-business-id = Identificação do Gerenciador de Negócios
field-admin-available = Administrador disponível
field-display-name = Nome de exibição
field-logo = Logotipo
field-phone = Número de telefone
field-phone-attestations = Sobre o número
field-category = Categoria
field-description = Descrição
field-business-verification = Verificação da empresa
choice-yes = Sim
choice-no = Não
choice-continue = Continuar
choice-restart = Começar de novo
choice-cancel-yes = Sim, cancelar
choice-cancel-no = Não, continuar
choice-restart-yes = Sim, começar de novo
choice-restart-no = Não, manter minhas respostas
choice-erase-yes = Sim, apagar meus dados
choice-erase-no = Não, manter
choice-review-keep = Sim, manter
choice-review-change = Não, vou alterar
choice-admin-yes = Sim, um administrador vai aceitar
choice-admin-not-yet = Ainda não
choice-whatsapp-not-in-use = Não, não está no WhatsApp
choice-whatsapp-consumer-app = Sim, no aplicativo WhatsApp
choice-whatsapp-business-app = Sim, no aplicativo WhatsApp Business
choice-skip = Pular
choice-verification-verified = Sim, está verificada
choice-verification-not-verified = Não, ainda não
choice-verification-unknown = Não sei
choice-confirm = Confirmar e enviar
choice-edit = Alterar um campo
choice-cancel = Cancelar
choice-human = Falar com uma pessoa
language-en = English
language-pt-br = Português (Brasil)

## Meta’s business categories.

category-alcohol = Bebidas alcoólicas
category-apparel = Roupas e vestuário
category-auto = Automotivo
category-beauty = Beleza, spa e salão
category-edu = Educação
category-entertain = Entretenimento
category-event-plan = Planejamento e serviços de eventos
category-finance = Finanças e bancos
category-govt = Serviço público
category-grocery = Alimentos e mercearia
category-health = Medicina e saúde
category-hotel = Hotelaria e hospedagem
category-nonprofit = Organização sem fins lucrativos
category-online-gambling = Jogos de azar e apostas online
category-otc-drugs = Medicamentos isentos de prescrição
category-other = Outros
category-physical-gambling = Jogos de azar e apostas presenciais
category-prof-services = Serviços profissionais
category-restaurant = Restaurante
category-retail = Compras e varejo
category-travel = Viagens e transporte

## After confirmation, and /status. Variables: $reference is a request reference; $date, $since and $created dates; $count a number of requests; $name a display name; $status a status label.

submitted = Pronto! A sua solicitação é a { $reference }. Guarde esse número: é com ele que você e a nossa equipe vão se referir a ela.
submitted-next-steps = Próximos passos: a nossa equipe confere os dados e envia a solicitação do parceiro para o seu portfólio empresarial. Depois, um administrador precisa aceitá-la no Gerenciador de Negócios, em Configurações > Solicitações. Previsão: { $date }. Aviso por aqui sempre que ela andar; digite /status quando quiser.
status-none = Você ainda não tem solicitações.
status-intro =
    { $count ->
        [one] A sua solicitação:
       *[other] As suas { $count } solicitações:
    }
status-line = { $reference } ({ $name }), enviada em { $created }: { $status } (desde { $since })
status-submitted = recebida
status-in-review = em análise pela nossa equipe
status-needs-info = aguardando as suas correções
status-awaiting-client-approval = aguardando o administrador aceitar no Gerenciador de Negócios
status-approved-by-client = aceita pelo administrador
status-number-registered = número registrado
status-active = ativa no WhatsApp
status-rejected = recusada
status-cancelled = cancelada
status-expired = expirada

## Dates and progress. Variables: $day, $month and $year form a date; $step and $of count steps.

date-long = { $day } de { $month } de { $year }
month-1 = janeiro
month-2 = fevereiro
month-3 = março
month-4 = abril
month-5 = maio
month-6 = junho
month-7 = julho
month-8 = agosto
month-9 = setembro
month-10 = outubro
month-11 = novembro
month-12 = dezembro
progress = Passo { $step } de { $of }

## Fixing what staff asked for. Variables: $reference is a request reference; $reason staff’s words; $status a status label.

fix-intro = A nossa equipe precisa de uma correção na solicitação { $reference }: “{ $reason }”. Responda de novo, por favor:
resubmitted = Obrigado! A solicitação { $reference } voltou para a análise da nossa equipe.
resubmit-refused = A solicitação { $reference } não pode mais ser alterada: ela está { $status }.
parked-draft-back = Agora vamos voltar à solicitação que você tinha começado.

## Notifications about a request. Variables: $reference is a request reference; $date the expected date; $fields the fields to fix; $reason and $text staff’s words.

notify-submitted = A solicitação { $reference } foi recebida. A nossa equipe vai analisá-la até { $date }.
notify-in-review = A solicitação { $reference } está em análise pela nossa equipe; previsão de retorno: { $date }.
notify-needs-info = A solicitação { $reference } precisa de uma correção: { $fields }. Envie /iniciar (ou abra o chat de novo) para corrigir.
notify-awaiting-client-approval = Solicitação { $reference }: enviamos a solicitação do parceiro para o seu portfólio empresarial. Agora um administrador precisa aceitá-la no Gerenciador de Negócios, em Configurações > Solicitações, até { $date }. A Meta cancela a solicitação se ela não for aceita em 90 dias.
notify-approved-by-client = Solicitação { $reference }: o administrador aceitou a solicitação do parceiro. Agora vamos registrar o número; previsão: { $date }. Mantenha o número apto a receber o código de registro por SMS ou ligação.
notify-number-registered = Solicitação { $reference }: o número foi registrado. A Meta está analisando o nome de exibição; previsão: { $date }.
notify-active = A solicitação { $reference } está ativa: a sua loja já está no WhatsApp!
notify-rejected = A solicitação { $reference } foi recusada.
notify-cancelled = A solicitação { $reference } foi cancelada.
notify-expired = A solicitação { $reference } expirou: a solicitação do parceiro não foi aceita no Gerenciador de Negócios em 90 dias. Envie /iniciar para fazer uma nova solicitação.
notify-reason = Motivo: { $reason }
notify-approval-reminder = Lembrete da solicitação { $reference }: a solicitação do parceiro ainda aguarda um administrador aceitá-la no Gerenciador de Negócios (Configurações > Solicitações). A previsão era { $date }.
notify-note = Mensagem da nossa equipe sobre a solicitação { $reference }: { $text }

## Reminders about an unfinished conversation. Variables: $field is the label of the step where the merchant stopped.

draft-nudge = A sua solicitação do WhatsApp ainda não foi concluída: você parou em “{ $field }”. Envie /iniciar para continuar de onde parou.
draft-expired = A sua solicitação do WhatsApp não concluída foi apagada depois de 7 dias sem atividade. Envie /iniciar para começar de novo.

## The timeline under each request of /status. Variables: $date is a date; $status a status label.

status-timeline = { $date }: { $status }

## Withdrawing a request already sent. Variables: $reference is a request reference; $status a status label.

ask-confirm-cancel-request = Cancelar a solicitação { $reference }? A nossa equipe vai parar de trabalhar nela.
ask-path = Última pergunta: quem cria a sua conta do WhatsApp Business?
    • Nossa equipe: conferimos seus dados e enviamos uma solicitação de parceria ao seu portfólio empresarial; um administrador a aceita no Gerenciador de Negócios (Configurações > Solicitações). Enquanto isso, você não precisa fazer mais nada.
    • Você, agora: eu envio um link para a janela da própria Meta, já preenchida com as suas respostas. Um administrador do portfólio empresarial precisa abri-lo e verificar o número com um código. Leva uns 5 minutos e você não espera pela nossa equipe.
choice-path-team = A equipe cria
choice-path-self = Eu mesmo crio agora
choice-cancel-request-yes = Sim, cancelar a solicitação
request-cancelled = A solicitação { $reference } foi cancelada. Digite /reiniciar quando quiser fazer uma nova.
# Variables: $count is how many requests the merchant had.
erased =
    { $count ->
        [0] Os seus dados foram apagados. Envie /iniciar quando quiser começar de novo.
        [one] Os seus dados foram apagados, junto com os da sua solicitação; guardamos só a referência e as datas, para as nossas estatísticas. Envie /iniciar quando quiser começar de novo.
       *[other] Os seus dados foram apagados, junto com os das suas { $count } solicitações; guardamos só as referências e as datas, para as nossas estatísticas. Envie /iniciar quando quiser começar de novo.
    }
cancel-refused = A solicitação { $reference } não pode mais ser cancelada: ela está { $status }.
field-summary = Resumo
field-done = Solicitação enviada

## Fixes waiting for the merchant. Variables: $reference is a request reference.

fix-nudge = A solicitação { $reference } ainda aguarda a sua correção. Envie /iniciar para concluí-la.
fix-restarted = Vamos passar de novo pelos campos a corrigir.
