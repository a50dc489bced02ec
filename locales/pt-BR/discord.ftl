# The Discord channel: commands, forms and notices.

## Notices.

discord-unknown = Não conheço esse comando ou botão; ele pode ser de uma versão anterior do bot. Use /cadastrar para continuar.
discord-old-form = Este formulário é de uma versão anterior do bot. Use /cadastrar e abra o formulário de novo.
discord-not-staff = Só quem tem um cargo da equipe de suporte pode alterar as solicitações.
discord-not-allowed = Só a equipe de suporte e os gestores podem usar este comando.

## The form. Variables: $reference is a request reference.

discord-logo-hint = No Discord, use /cadastrar e anexe a imagem na opção “logotipo”.
discord-choose = Escolha uma opção…
discord-fill-in = Preencher o formulário
discord-write-description = Escrever uma descrição
discord-form-title = Dados da loja e do WhatsApp
discord-description-title = Sobre o seu negócio
discord-label-store-account = Conta da loja na plataforma
discord-label-email = E-mail de contato
discord-label-business-id = ID do portfólio empresarial
discord-label-display-name = Nome de exibição no WhatsApp
discord-label-phone = Número de telefone do WhatsApp
discord-label-description = Descrição (opcional)
discord-placeholder-store-account = Letras minúsculas e números, ex.: minhaloja
discord-placeholder-email = ex.: ana@minhaloja.com.br
discord-placeholder-business-id = 15 ou 16 dígitos, em Configurações > Informações da empresa
discord-placeholder-display-name = Sua marca, como aparece no seu site
discord-placeholder-phone = Com o código do país, ex.: +55 11 98765-4321
discord-placeholder-description = Algumas palavras para o perfil do WhatsApp (até 512 caracteres)
discord-pick-fields = Quais campos o lojista precisa corrigir em { $reference }?
discord-reason-ask-title = Pedir correção: { $reference }
discord-reason-ask-label = O que o lojista precisa corrigir e por quê?
discord-reason-reject-title = Recusar { $reference }
discord-reason-reject-label = Por que foi recusada? O lojista vai ler.

## Command names and descriptions (names: lowercase, no spaces).

discord-command-onboard-name = cadastrar
discord-command-onboard-description = Começar ou continuar sua solicitação do WhatsApp Business (anexe o logotipo aqui)
discord-command-status-name = situação
discord-command-status-description = Ver a situação das suas solicitações
discord-command-cancel-name = cancelar
discord-command-cancel-description = Cancelar o que você começou
discord-command-language-name = idioma
discord-command-language-description = Trocar entre português e inglês
discord-command-help-name = ajuda
discord-command-help-description = Explicar a pergunta atual
discord-command-back-name = voltar
discord-command-back-description = Voltar para a pergunta anterior
discord-command-human-name = atendente
discord-command-human-description = Falar com uma pessoa da nossa equipe
discord-command-erase-name = apagar
discord-command-erase-description = Apagar os seus dados (pergunta antes)
discord-command-code-name = codigo
discord-command-code-description = Digite o código de 6 dígitos que a Meta enviou para registrar seu número
discord-command-resend-name = reenviar
discord-command-resend-description = Pedir à Meta um novo código de registro por SMS
discord-command-call-name = ligar
discord-command-call-description = Pedir à Meta que ligue para o seu número com um novo código
discord-command-signup-name = cadastro
discord-command-signup-description = Um novo link para você mesmo criar a conta do WhatsApp Business na janela da Meta
discord-command-team-name = equipe
discord-command-team-description = Deixar nossa equipe criar a conta do WhatsApp Business
discord-command-pending-name = pendentes
discord-command-pending-description = Solicitações em aberto, por status (equipe e gestores)
discord-command-stats-name = estatísticas
discord-command-stats-description = Contagens e prazos (equipe e gestores)
discord-command-request-name = solicitação
discord-command-request-description = Uma solicitação por referência ou conta da loja (equipe e gestores)
discord-option-logo-name = logotipo
discord-option-logo-description = Seu logotipo: uma imagem JPEG ou PNG quadrada, de até 5 MB
discord-option-status-name = situação
discord-option-status-description = Só as solicitações neste status
discord-option-page-name = página
discord-option-page-description = Qual página da lista (a partir de 1)
discord-option-since-name = desde
discord-option-since-description = Primeiro dia do período (AAAA-MM-DD); sem ele, os últimos 30 dias
discord-option-code-name = codigo
discord-option-code-description = Os 6 dígitos, como em 123456
discord-option-reference-name = referência
discord-option-reference-description = Uma referência (WA-000042) ou uma conta da loja
