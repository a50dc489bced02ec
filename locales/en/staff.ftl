# The managers' and staff's view of the pipeline: statuses in their words, statistics, charts, exports.

## Statuses as staff and managers read them (the merchant reads the status-* labels).

staff-status-submitted = submitted
staff-status-in-review = in review
staff-status-needs-info = waiting for the merchant’s corrections
staff-status-awaiting-client-approval = waiting for the store’s admin to accept
staff-status-approved-by-client = accepted by the store’s admin
staff-status-number-registered = number registered
staff-status-active = active on WhatsApp
staff-status-rejected = rejected
staff-status-cancelled = cancelled
staff-status-expired = expired without acceptance

## Statistics. Variables: $since, $until and $week are dates; $submitted, $activated, $now, $stays, $overdue and $count numbers of requests; $median and $p90 business days, already formatted, and $unit the number that picks their plural; $status a status label; $channel a channel name; $channels a list of pipeline-week-channel; $reference, $account a request’s reference and store account; $days business days; $value what was typed; $date a date; $max the longest period in days.

pipeline-title = Pipeline from { $since } to { $until }
pipeline-quiet = Nothing happened in this period: no request was submitted, moved or went active.
pipeline-summary = Submitted: { $submitted } · went active: { $activated }
pipeline-to-active = Submitted to active: median { $median }, 90th percentile { $p90 } business days.
pipeline-to-active-none = No request went active in this period.
pipeline-stages = By status: now · stays in the period (median / 90th percentile) · stays past the expected date
pipeline-stage =
    { $status }: { $now } now · { $stays ->
        [one] 1 stay, { $median } { $unit ->
            [one] business day
           *[other] business days
        }
       *[other] { $stays } stays, { $median } / { $p90 } business days
    } · { $overdue ->
        [0] none late
        [one] 1 late
       *[other] { $overdue } late
    }
pipeline-stage-idle = { $status }: { $now } now
pipeline-stage-final = { $status }: { $now }
pipeline-weeks = By week: submitted (by channel) · went active
pipeline-week =
    Week of { $week }: { $submitted ->
        [0] none submitted
       *[other] { $submitted } submitted ({ $channels })
    } · { $activated ->
        [0] none went active
        [one] 1 went active in { $median } { $unit ->
            [one] business day
           *[other] business days
        }
       *[other] { $activated } went active, median { $median } business days
    }
pipeline-week-channel = { $channel } { $count }
pipeline-oldest = Oldest open requests:
pipeline-oldest-line =
    { $days ->
        [one] { $reference } ({ $account }): { $status }, open for { $days } business day
       *[other] { $reference } ({ $account }): { $status }, open for { $days } business days
    }
pipeline-date-malformed = “{ $value }” is not a date: write it as YYYY-MM-DD (2026-11-02).
pipeline-date-future = { $date } is in the future: pick a day up to today.
pipeline-period-empty = The period from { $since } to { $until } is empty: the first day must not come after the last.
pipeline-period-too-long =
    { $days ->
        [one] A period of { $days } day is too long: ask for { $max } days at most.
       *[other] A period of { $days } days is too long: ask for { $max } days at most.
    }

## The chart. Variables: $count is a number of requests; $day and $month a week's Monday; $path a file; $detail the system's explanation.

chart-funnel-title =
    { $count ->
        [one] { $count } request submitted: how far it got
       *[other] { $count } requests submitted: how far they got
    }
chart-weekly-title = Median business days from submitted to active, by week
chart-week-label = { $month }/{ $day }
pipeline-chart-unwritable = Couldn’t write the chart to { $path }: { $detail }

## Exports. Variables: $detail is the system's explanation.

export-unwritable = Couldn’t write the export: { $detail }

## Listings a page at a time. Variables: $page, $pages and $total are numbers; $command what to type for another page; $value what was typed.

requests-page = Page { $page } of { $pages } ({ $total } requests). Next page: { $command }
requests-page-last = Page { $page } of { $pages } ({ $total } requests). Back to the first: { $command }
requests-bad-page = “{ $value }” is not a page number: give a whole number from 1.
