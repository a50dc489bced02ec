# O que as regras de validação dizem sobre uma resposta. Cada id é “finding-” seguido do código
# do achado, com pontos e sublinhados trocados por hífens (phone.short_code → finding-phone-short-code).

## Variables: $max is a limit in characters; $char a character as a code point (U+202E); $counted a length as Meta counts it.

finding-input-empty = A resposta veio vazia: digite-a, por favor.
finding-input-too-long = Essa resposta é longa demais: no máximo { $max } caracteres.
finding-input-not-a-text-field = Esse campo não pode ser respondido num formulário.
finding-input-control-char = Contém um caractere de controle ({ $char }), que não pode fazer parte de uma resposta; digite de novo sem ele, por favor.
finding-input-invisible-char = Contém um caractere invisível ou de direção de texto ({ $char }), que costuma vir junto quando se copia um texto; digite de novo em vez de colar, por favor.
finding-input-counted-length = Alguns caracteres que você digitou (emojis ou acentos digitados à parte) contam como mais de um: a Meta conta { $counted } caracteres aqui, e o limite é { $max }.

## Variables: $char is the offending character; $length the measured length; $min and $max the allowed range; $id a business portfolio ID read from a link.

finding-store-account-charset = Contém “{ $char }”, que não é permitido: use só letras minúsculas (a–z) e números.
finding-store-account-space = Contém espaços: o nome da conta é uma palavra só, com letras minúsculas e números.
finding-store-account-length =
    { $length ->
        [one] Tem { $length } caractere; precisa ter entre { $min } e { $max }.
       *[other] Tem { $length } caracteres; precisa ter entre { $min } e { $max }.
    }
finding-email-too-long =
    { $length ->
        [one] O endereço tem { $length } caractere; o limite é { $max }.
       *[other] O endereço tem { $length } caracteres; o limite é { $max }.
    }
finding-email-invalid = Isso não parece um endereço de e-mail. Exemplo: contato@minhaloja.com.br
finding-business-id-not-digits = A identificação deve ter só números, mas contém “{ $char }”.
finding-business-id-length =
    { $length ->
        [one] A identificação tem { $length } dígito; a do Gerenciador de Negócios costuma ter 15 ou 16, e nunca menos de { $min } nem mais de { $max }.
       *[other] A identificação tem { $length } dígitos; a do Gerenciador de Negócios costuma ter 15 ou 16, e nunca menos de { $min } nem mais de { $max }.
    }
finding-business-id-unusual-length = A identificação do Gerenciador de Negócios costuma ter 15 ou 16 dígitos, e esta tem { $length }. Confira se é mesmo a do portfólio empresarial, e não a de uma conta de anúncios ou de uma página.
finding-business-id-read-from-link = Identificação lida do link: { $id }.
finding-business-id-waba-id = Essa é a identificação de uma conta do WhatsApp Business (WABA), não a do Gerenciador de Negócios. No Meta Business Suite, abra Configurações > Informações da empresa e copie a identificação que aparece abaixo do nome da empresa.
finding-business-id-asset-id = Esse link aponta para uma página ou outro ativo (asset_id), não para o Gerenciador de Negócios. No Meta Business Suite, abra Configurações > Informações da empresa e copie a identificação que aparece abaixo do nome da empresa.
finding-business-id-page-id = Essa é a identificação de uma página do Facebook, não a do Gerenciador de Negócios. No Meta Business Suite, abra Configurações > Informações da empresa e copie a identificação que aparece abaixo do nome da empresa.
finding-business-id-ad-account-id = Essa é a identificação de uma conta de anúncios, não a do Gerenciador de Negócios. No Meta Business Suite, abra Configurações > Informações da empresa e copie a identificação que aparece abaixo do nome da empresa.
finding-business-id-page-link = Esse é o endereço de uma página do Facebook ou do Instagram; precisamos da identificação do Gerenciador de Negócios. No Meta Business Suite, abra Configurações > Informações da empresa e copie a identificação que aparece abaixo do nome da empresa.
finding-business-id-link-without-id = Esse link não traz a identificação do Gerenciador de Negócios (business_id=). No Meta Business Suite, abra Configurações > Informações da empresa e copie a identificação que aparece abaixo do nome da empresa, ou o endereço dessa página.

## Variables: $char is an invisible character (U+200B); $length the measured length; $max and $comfortable limits in characters.

finding-description-too-long =
    { $length ->
        [one] Tem { $length } caractere; o limite é { $max }.
       *[other] Tem { $length } caracteres; o limite é { $max }.
    }
finding-description-long =
    { $length ->
        [one] Tem { $length } caractere; o WhatsApp mostra mais ou menos os { $comfortable } primeiros, então coloque o essencial no começo.
       *[other] Tem { $length } caracteres; o WhatsApp mostra mais ou menos os { $comfortable } primeiros, então coloque o essencial no começo.
    }

## Variables: $char is an invisible character (U+200B); $length, $min and $max lengths; $symbol, $emoji, $word and $punctuation the offending text; $name the display name.

finding-display-name-invisible-char = Contém um caractere invisível ou de direção de texto ({ $char }), que a Meta não aceita. Digite o nome em vez de colá-lo.
finding-display-name-control-char = Contém um caractere de controle ({ $char }).
finding-display-name-length =
    { $length ->
        [one] Tem { $length } caractere; o nome de exibição deve ter entre { $min } e { $max }.
       *[other] Tem { $length } caracteres; o nome de exibição deve ter entre { $min } e { $max }.
    }
finding-display-name-symbol = A Meta não aceita o símbolo { $symbol } em nomes de exibição.
finding-display-name-emoji = A Meta não aceita emojis em nomes de exibição ({ $emoji }).
finding-display-name-email = O nome de exibição não pode ser um endereço de e-mail.
finding-display-name-url = O nome de exibição não pode ser um endereço de site: use o nome da marca.
finding-display-name-all-caps = Escreva com maiúsculas e minúsculas normais (“Loja Azul”, e não “LOJA AZUL”); só siglas curtas, como “IBM”, podem ficar todas em maiúsculas.
finding-display-name-reserved-word = “{ $word }” não pode ser usado: a Meta reserva os nomes das suas marcas (WhatsApp, Facebook, Instagram, Meta) e palavras como “oficial” e “verificado”.
finding-display-name-repeated-punctuation = Pontuação repetida (“{ $punctuation }”) não é permitida.
finding-display-name-generic = “{ $word }” é só um termo genérico: a Meta recusa nomes que não identificam a sua marca (os exemplos dela são “Juice” e “Fashion”). Inclua o nome próprio da sua marca.
finding-display-name-place = “{ $word }” é só o nome de um lugar: a Meta recusa nomes que são apenas uma localização geográfica. Inclua o nome próprio da sua marca.
finding-display-name-odd-case = As letras maiúsculas em “{ $word }” parecem aleatórias: a Meta pede o uso normal de maiúsculas e minúsculas (“Loja Azul”). Estilos de marca como “iFood” podem ser usados.
finding-display-name-lower-case = O nome está todo em letras minúsculas; a Meta pede o uso normal de maiúsculas (“Loja Azul”, e não “loja azul”).
finding-display-name-promotional = Termos promocionais (“{ $word }”) podem fazer a Meta recusar o nome.
finding-display-name-brand-match = “{ $name }” precisa ser a marca que os clientes veem no seu site; uma pessoa vai comparar os dois.

## Variables: $bytes is a file size in bytes; $max a limit (bytes or pixels); $format a file format (GIF, SVG, PDF); $width, $height, $side, $min and $recommended sizes in pixels.

finding-logo-empty = O arquivo está vazio.
finding-logo-too-large =
    { $bytes ->
        [one] O arquivo tem { $bytes } byte; o limite é { $max } bytes (5 MB).
       *[other] O arquivo tem { $bytes } bytes; o limite é { $max } bytes (5 MB).
    }
finding-logo-unsupported-format = Este é um arquivo { $format }; o logotipo precisa ser uma imagem JPEG ou PNG.
finding-logo-unknown-format = Este arquivo não é uma imagem aceita pelo WhatsApp: o logotipo precisa ser JPEG ou PNG.
finding-logo-corrupt = A imagem está danificada ou incompleta; exporte-a de novo, por favor.
finding-logo-dimensions-too-large =
    { $height ->
        [one] A imagem tem { $width }×{ $height } pixel; o maior lado aceito é de { $max } pixels.
       *[other] A imagem tem { $width }×{ $height } pixels; o maior lado aceito é de { $max } pixels.
    }
finding-logo-decode-limit = A imagem exige memória demais para ser aberta; exporte-a em 640×640 pixels.
finding-logo-not-square =
    { $height ->
        [one] A imagem tem { $width }×{ $height } pixel; ela precisa ser quadrada (mesma largura e altura).
       *[other] A imagem tem { $width }×{ $height } pixels; ela precisa ser quadrada (mesma largura e altura).
    }
finding-logo-too-small =
    { $height ->
        [one] A imagem tem { $width }×{ $height } pixel; o mínimo é { $min }×{ $min }.
       *[other] A imagem tem { $width }×{ $height } pixels; o mínimo é { $min }×{ $min }.
    }
finding-logo-not-recommended-size =
    { $side ->
        [one] A imagem tem { $side }×{ $side } pixel; o WhatsApp exibe { $recommended }×{ $recommended }, então ela será redimensionada.
       *[other] A imagem tem { $side }×{ $side } pixels; o WhatsApp exibe { $recommended }×{ $recommended }, então ela será redimensionada.
    }
finding-logo-transparency = A imagem tem áreas transparentes: o WhatsApp as exibe em preto e recorta a foto em círculo.
finding-logo-file-not-found = Não há nenhum arquivo nesse caminho.
finding-logo-is-directory = Esse caminho é uma pasta, não um arquivo.
finding-logo-not-a-file = Esse caminho não é um arquivo comum (é um dispositivo, um pipe ou um socket): informe o caminho do próprio arquivo de imagem.
finding-logo-unreadable = Não foi possível ler o arquivo; confira as permissões dele.

## Variables: $number is the short number as typed, or the number as read (+52 55 1234 5678); $reference a request reference (WA-000042).

finding-phone-missing-country-code = Inclua o código do país, começando com + (por exemplo, +55 11 98765-4321).
finding-phone-too-long = O número tem dígitos demais.
finding-phone-invalid-country-code = Esse código de país não existe.
finding-phone-invalid = Esse não é um número de telefone válido: confira o DDD e a quantidade de dígitos.
finding-phone-short-code = { $number } é um número curto (de emergência, de serviço ou de SMS). O WhatsApp precisa de um número de telefone completo, com DDD.
finding-phone-extension = Um número com ramal não recebe o código de registro: use uma linha direta.
finding-phone-fixed-line = Este é um telefone fixo: o código de registro virá por ligação de voz, então a linha precisa ser atendida diretamente (sem URA, menu ou desvio de chamadas).
finding-phone-toll-free = Este é um número 0800: o código de registro vem por ligação do exterior, que muitas linhas 0800 não recebem. Garanta que ela seja atendida diretamente, sem menu nem desvio.
finding-phone-voip = Este é um número VoIP: o código de registro virá por SMS ou ligação, que alguns serviços VoIP não entregam. Confirme que o seu entrega.
finding-phone-uan = Este é um número único nacional (como 4004 ou 3003): o código de registro virá por ligação, então ela precisa chegar a uma pessoa, sem menu nem desvio.
finding-phone-shared-cost = Este é um número de custo compartilhado (como 0300); uma pessoa vai conferir se ele recebe o código de registro.
finding-phone-personal-number = Este é um número pessoal (siga-me), que desvia as chamadas; uma pessoa vai conferir se ele recebe o código de registro.
finding-phone-premium-rate = Este é um número de tarifa especial (como 0900); uma pessoa vai conferir se ele pode ser usado.
finding-phone-pager = Este é um número de pager, que não recebe o código de registro.
finding-phone-voicemail = Este é um número de acesso à caixa postal, que não recebe o código de registro.
finding-phone-unknown-type = Não foi possível identificar o tipo deste número, por isso ele não pode ser usado.
finding-phone-read-from-link = Número lido do link: { $number }.
finding-phone-old-mexican-mobile-prefix = Os celulares do México não levam mais o 1 depois do +52, então li o número como { $number }.
finding-phone-brazilian-ninth-digit = Os celulares do Brasil agora têm o 9 depois do DDD, então li o número como { $number }.
finding-phone-short-link = Um link wa.me/message não mostra o número que ele abre: digite o próprio número, com o código do país.
finding-phone-link-without-number = Esse link do WhatsApp não tem número de telefone: digite o próprio número, com o código do país.
finding-phone-link-elsewhere = Esse link não é um link do WhatsApp com número de telefone: digite o próprio número, com o código do país.
finding-phone-duplicate = Este número já está na solicitação { $reference }, que continua aberta. Use outro número ou acompanhe aquela solicitação com /status.
finding-phone-not-owned = O número precisa pertencer à empresa; o celular pessoal de um funcionário não serve. Digite /voltar para informar outro número.
finding-phone-not-reachable = A Meta envia o código de registro por SMS ou ligação do exterior, então o número precisa recebê-los. Peça à operadora para liberar chamadas e SMS internacionais ou digite /voltar para informar outro número.
finding-phone-in-use-consumer-app = O número está no aplicativo WhatsApp: apague essa conta (WhatsApp > Configurações > Conta > Apagar minha conta) antes do registro, senão ele vai falhar.
finding-phone-in-use-business-app = O número está no aplicativo WhatsApp Business: ele pode continuar lá pelo fluxo de coexistência, que a nossa equipe vai configurar com você.

## Variables: $input is what the merchant typed; $category a category label.

finding-category-unknown = “{ $input }” não é uma das categorias; escolha uma da lista.
finding-category-restricted = { $category } é uma categoria restrita pelas políticas de comércio da Meta; uma pessoa vai revisá-la.
