# A visão da equipe e dos gestores sobre o funil: status nas palavras deles, estatísticas, gráficos, exportações.

## Status como a equipe e os gestores os leem (o lojista lê os rótulos status-*).

staff-status-submitted = enviada
staff-status-in-review = em análise
staff-status-needs-info = aguardando correções do lojista
staff-status-awaiting-client-approval = aguardando o aceite do administrador da loja
staff-status-approved-by-client = aceita pelo administrador da loja
staff-status-number-registered = número registrado
staff-status-active = ativa no WhatsApp
staff-status-rejected = recusada
staff-status-cancelled = cancelada
staff-status-expired = expirada sem aceite

## Estatísticas. Variables: $since, $until e $week são datas; $submitted, $activated, $now, $stays, $overdue e $count números de solicitações; $median e $p90 dias úteis, já formatados, e $unit o número que escolhe o plural deles; $status um rótulo de status; $channel o nome de um canal; $channels uma lista de pipeline-week-channel; $reference, $account a referência e a conta da loja de uma solicitação; $days dias úteis; $value o que foi digitado; $date uma data; $max o período mais longo, em dias.

pipeline-title = Funil de { $since } a { $until }
pipeline-quiet = Nada aconteceu neste período: nenhuma solicitação foi enviada, mudou de status ou foi ativada.
pipeline-summary = Enviadas: { $submitted } · ativadas: { $activated }
pipeline-to-active = Do envio à ativação: mediana de { $median } e percentil 90 de { $p90 } dias úteis.
pipeline-to-active-none = Nenhuma solicitação foi ativada neste período.
pipeline-stages = Por status: agora · permanências no período (mediana / percentil 90) · permanências além da previsão
pipeline-stage =
    { $status }: { $now } agora · { $stays ->
        [one] 1 permanência, { $median } { $unit ->
            [0] dias úteis
            [one] dia útil
           *[other] dias úteis
        }
       *[other] { $stays } permanências, { $median } / { $p90 } dias úteis
    } · { $overdue ->
        [0] nenhuma atrasada
        [one] 1 atrasada
       *[other] { $overdue } atrasadas
    }
pipeline-stage-idle = { $status }: { $now } agora
pipeline-stage-final = { $status }: { $now }
pipeline-weeks = Por semana: enviadas (por canal) · ativadas
pipeline-week =
    Semana de { $week }: { $submitted ->
        [0] nenhuma enviada
        [one] 1 enviada ({ $channels })
       *[other] { $submitted } enviadas ({ $channels })
    } · { $activated ->
        [0] nenhuma ativada
        [one] 1 ativada em { $median } { $unit ->
            [0] dias úteis
            [one] dia útil
           *[other] dias úteis
        }
       *[other] { $activated } ativadas, mediana de { $median } dias úteis
    }
pipeline-week-channel = { $channel } { $count }
pipeline-oldest = Solicitações abertas mais antigas:
pipeline-oldest-line =
    { $days ->
        [0] { $reference } ({ $account }): { $status }, aberta há 0 dias úteis
        [one] { $reference } ({ $account }): { $status }, aberta há { $days } dia útil
       *[other] { $reference } ({ $account }): { $status }, aberta há { $days } dias úteis
    }
pipeline-date-malformed = “{ $value }” não é uma data: escreva no formato AAAA-MM-DD (2026-11-02).
pipeline-date-future = { $date } está no futuro: escolha um dia até hoje.
pipeline-period-empty = O período de { $since } a { $until } está vazio: o primeiro dia não pode vir depois do último.
pipeline-period-too-long =
    { $days ->
        [one] Um período de { $days } dia é longo demais: peça no máximo { $max } dias.
       *[other] Um período de { $days } dias é longo demais: peça no máximo { $max } dias.
    }

## O gráfico. Variables: $count é um número de solicitações; $day e $month a segunda-feira de uma semana; $path um arquivo; $detail a explicação do sistema.

chart-funnel-title =
    { $count ->
        [0] Nenhuma solicitação enviada
        [one] { $count } solicitação enviada: até onde chegou
       *[other] { $count } solicitações enviadas: até onde chegaram
    }
chart-weekly-title = Mediana de dias úteis do envio à ativação, por semana
chart-week-label = { $day }/{ $month }
pipeline-chart-unwritable = Não foi possível gravar o gráfico em { $path }: { $detail }

## Exportações. Variables: $detail é a explicação do sistema.

export-unwritable = Não foi possível gravar a exportação: { $detail }

## Listas uma página por vez. Variables: $page, $pages e $total são números; $command o que digitar para outra página; $value o que foi digitado.

requests-page = Página { $page } de { $pages } ({ $total } solicitações). Próxima página: { $command }
requests-page-last = Página { $page } de { $pages } ({ $total } solicitações). Voltar à primeira: { $command }
requests-bad-page = “{ $value }” não é um número de página: use um número inteiro a partir de 1.
