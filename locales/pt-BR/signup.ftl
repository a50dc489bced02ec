# Cadastro incorporado: a loja cria ela mesma a conta do WhatsApp Business, na janela da Meta.

## No chat do lojista. Variables: $reference is a request reference (WA-000042); $url the signup link; $valid how long the link works (a meta-wait message); $step where the merchant stopped (a signup-step message); $said Meta's own words.

signup-link = Aqui está o seu link para criar a conta na janela da Meta: { $url }
    Abra em um computador ou celular em que você esteja conectado ao Facebook como administrador do seu portfólio empresarial. As telas já vêm preenchidas com o que você me informou: confira, verifique o número com o código que a Meta enviar e conclua. O link funciona uma vez e expira { $valid }. Envie /cadastro para um novo link, ou /equipe se preferir que nossa equipe crie a conta.
signup-finished = Solicitação { $reference }: sua conta do WhatsApp Business foi criada na janela da Meta. Agora eu registro o número e, em seguida, a Meta analisa o nome de exibição (em geral em 1 a 2 dias úteis). Aviso aqui quando cada etapa terminar.
signup-finished-no-number = Solicitação { $reference }: sua conta do WhatsApp Business foi criada na janela da Meta, sem número. Agora eu adiciono o seu número a ela; a Meta vai enviar um código, que você digita aqui.
signup-cancelled = Solicitação { $reference }: você fechou a janela da Meta na etapa “{ $step }”, então a conta não foi criada. Nada se perdeu. Envie /cadastro para um novo link e continue de onde parou, ou /equipe para que nossa equipe crie a conta.
signup-failed = Solicitação { $reference }: a Meta interrompeu o cadastro com esta mensagem: “{ $said }”. Nossa equipe também está vendo. Envie /cadastro para tentar de novo, ou /equipe para que nossa equipe crie a conta.
signup-too-late = A solicitação { $reference } já avançou, então não há link de cadastro para enviar. Envie /status para ver como ela está.
signup-team = Solicitação { $reference }: nossa equipe vai criar a conta. Agora conferimos seus dados e enviamos a solicitação de parceria ao seu portfólio empresarial; depois, um administrador a aceita no Gerenciador de Negócios, em Configurações > Solicitações. Aviso aqui sempre que ela avançar.
signup-none = Você não tem nenhuma solicitação aguardando o cadastro da Meta. Envie /status para ver como estão suas solicitações.

## As etapas da janela de cadastro da Meta, como o lojista as viu.

signup-step-business-account-selection = escolha do portfólio empresarial
signup-step-waba-phone-profile-picker = escolha da conta do WhatsApp Business
signup-step-phone-number-setup = inclusão do número de telefone
signup-step-phone-number-verification = verificação do número com o código
signup-step-permissions = revisão das permissões
signup-step-unknown = uma das primeiras telas

## Para a equipe. Variables: $reference is a request reference; $said Meta's own words; $id Meta's error id; $step where the merchant stopped (a signup-step message).

signup-alert-error = { $reference }: o Cadastro incorporado da Meta falhou para o lojista: “{ $said }” (id do erro { $id }). Ele recebeu a opção de um novo link ou do caminho pela equipe.
signup-alert-exchange = { $reference }: o código do Cadastro incorporado não pôde ser trocado por um token comercial: “{ $said }”. O número é registrado com o token de usuário do sistema do parceiro.
signup-path = Caminho
signup-path-offered = Cadastro incorporado: a loja cria a conta (link enviado)
signup-path-finished = Cadastro incorporado: conta criada pela loja
signup-path-cancelled = Cadastro incorporado: o lojista parou em “{ $step }”
signup-path-error = O Cadastro incorporado falhou: “{ $said }”
signup-path-team = nossa equipe cria a conta (o lojista saiu do Cadastro incorporado)

## A página de cadastro. Variables: $reference is a request reference.

signup-page-title = Crie sua conta do WhatsApp Business
signup-page-intro = Solicitação { $reference }. Entre com uma conta do Facebook que seja administradora do seu portfólio empresarial e siga as telas da Meta.
signup-page-prefilled = As telas da Meta já vêm preenchidas com o que você informou ao bot:
signup-page-button = Abrir o cadastro da Meta
signup-page-loading = Carregando o cadastro da Meta…
signup-page-ready = Tudo pronto. A janela da Meta abre quando você tocar no botão.
signup-page-opened = A janela da Meta está aberta. Se não aparecer, permita pop-ups para esta página.
signup-page-sending = Avisando o bot…
signup-page-network = Não foi possível falar com o bot. Verifique sua conexão; o que você fez na janela da Meta não se perdeu.
signup-page-after = Quando terminar, volte ao chat: o bot explica o que acontece em seguida.
signup-page-finished = Pronto! Sua conta foi criada. Pode fechar esta página e voltar ao chat.
signup-page-cancelled = Você fechou a janela da Meta antes de concluir. Volte ao chat para receber um novo link ou deixar nossa equipe cuidar disso.
signup-page-failed = A Meta informou um erro. Volte ao chat: o bot explica o que fazer.
signup-page-unknown = Este link de cadastro não existe. Confira se você copiou o link inteiro.
signup-page-used = Este link de cadastro já foi usado ou substituído por um mais novo.
signup-page-expired = Este link de cadastro expirou.
signup-page-forged = Esta página não foi aberta pelo link do bot.
signup-page-ask-again = No chat, envie /cadastro para receber um novo link.
signup-page-bad-event = A página enviou algo que o bot não entende. Recarregue e tente de novo.
