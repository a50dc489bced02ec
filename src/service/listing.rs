//! Requests listed for staff and managers, a page at a time: open requests (or those of one
//! status) grouped by status, oldest first, filtered by channel, lateness and age. The database
//! selects, counts (`Store::count_summaries`) and pages (`Store::page_of_summaries`): only the
//! page's rows are read, so a page out of 50,000 requests costs little more than a page of
//! fifty.

use crate::domain::{RequestStatus, deadline};
use crate::storage::{RequestSummary, Store, SummaryFilter};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::BTreeMap;

/// Rows per page in a chat message (a Telegram message holds 4,096 characters).
pub const CHAT_PAGE: usize = 20;

/// Rows per page on the command line, unless `--limit` says otherwise.
pub const CLI_PAGE: usize = 50;

/// What to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    /// One status (final ones included); `None` lists the open requests.
    pub status: Option<RequestStatus>,
    /// Only requests that came through this channel (`telegram`, `discord`, `slack`,
    /// `console`).
    pub channel: Option<String>,
    /// Only requests past the expected date of their status.
    pub overdue: bool,
    /// Only requests open at least this many business days since they were submitted.
    pub older_than: Option<i32>,
    /// Rows per page (at least 1).
    pub limit: usize,
    /// The page, from 1.
    pub page: usize,
}

impl ListQuery {
    /// The open requests (or those of `status`), first page of `limit` rows.
    pub fn new(status: Option<RequestStatus>, limit: usize) -> ListQuery {
        ListQuery {
            status,
            channel: None,
            overdue: false,
            older_than: None,
            limit,
            page: 1,
        }
    }
}

/// A request in a listing.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    /// The request.
    pub request: RequestSummary,
    /// Its status.
    pub status: RequestStatus,
    /// Business days in that status.
    pub days_in_status: i32,
    /// Business days since it was submitted.
    pub days_open: i32,
    /// When it should move on.
    pub expected: Option<NaiveDate>,
    /// Past that date.
    pub overdue: bool,
}

/// One page of a listing.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// What was asked (the page clamped to the last).
    pub query: ListQuery,
    /// Its rows, by status then oldest first.
    pub rows: Vec<Listed>,
    /// Requests the query selects, on every page.
    pub total: usize,
    /// Of those, per status.
    pub per_status: BTreeMap<RequestStatus, usize>,
    /// Pages in all (at least 1).
    pub pages: usize,
}

/// A page of requests as of `now`.
///
/// # Errors
/// A storage failure, or a stored status the code does not know.
pub async fn list(store: &Store, query: ListQuery, now: DateTime<Utc>) -> anyhow::Result<Page> {
    let today = deadline::local_date(now);
    let filter = SummaryFilter {
        statuses: match query.status {
            Some(status) => vec![status],
            None => RequestStatus::ALL
                .into_iter()
                .filter(|s| !s.is_final())
                .collect(),
        },
        channel: query.channel.clone(),
        created_before: query.older_than.map(|days| {
            let last = deadline::business_days_before(today, days);
            last.succ_opt().map_or(now, deadline::local_midnight)
        }),
        late: query.overdue.then(|| {
            RequestStatus::ALL
                .into_iter()
                .filter(|s| !s.is_final())
                .filter_map(|status| {
                    let days = status.expected_business_days()?;
                    let last = latest_date(today, |d| {
                        deadline::add_business_days(deadline::local_midnight(d), days) < today
                    });
                    Some((
                        status,
                        deadline::local_midnight(last + chrono::Duration::days(1)),
                    ))
                })
                .collect()
        }),
    };
    let mut per_status = BTreeMap::new();
    for (status, count) in store.count_summaries(&filter).await? {
        let Some(status) = RequestStatus::parse(&status) else {
            anyhow::bail!("unknown status {status}");
        };
        per_status.insert(status, usize::try_from(count).unwrap_or(0));
    }
    let total: usize = per_status.values().sum();
    let query = bounded(query, total);
    let (limit, offset) = (query.limit, (query.page - 1) * query.limit);
    let requests = store
        .page_of_summaries(
            &filter,
            i64::try_from(limit).unwrap_or(i64::MAX),
            i64::try_from(offset).unwrap_or(i64::MAX),
        )
        .await?;
    let first = requests.iter().map(|r| r.created_at).min().unwrap_or(now);
    let span = deadline::BusinessDays::covering(deadline::local_date(first), today);
    let mut rows = Vec::with_capacity(requests.len());
    for request in requests {
        let Some(status) = RequestStatus::parse(&request.status) else {
            anyhow::bail!("unknown status {}", request.status);
        };
        rows.push(listed(request, status, &span, now));
    }
    Ok(Page::of(query, rows, per_status))
}

/// `query` with its limit at least 1 and its page within the pages of `total` rows.
fn bounded(query: ListQuery, total: usize) -> ListQuery {
    let limit = query.limit.max(1);
    let pages = total.div_ceil(limit).max(1);
    ListQuery {
        limit,
        page: query.page.clamp(1, pages),
        ..query
    }
}

impl Page {
    /// The page of a bounded `query`, its `rows`, and the counts of every page.
    fn of(query: ListQuery, rows: Vec<Listed>, per_status: BTreeMap<RequestStatus, usize>) -> Page {
        let total = per_status.values().sum();
        Page {
            pages: usize::div_ceil(total, query.limit).max(1),
            query,
            rows,
            total,
            per_status,
        }
    }
}

/// The latest day up to `today` for which `holds` is true, for a condition that holds for every
/// day before it too (business-day counts only grow going back); [`NaiveDate::MIN`] (no day
/// qualifies) if none is found within ten years.
fn latest_date(today: NaiveDate, holds: impl Fn(NaiveDate) -> bool) -> NaiveDate {
    let mut day = today;
    for _ in 0..3_660 {
        if holds(day) {
            return day;
        }
        match day.pred_opt() {
            Some(before) => day = before,
            None => break,
        }
    }
    NaiveDate::MIN
}

fn listed(
    request: RequestSummary,
    status: RequestStatus,
    span: &deadline::BusinessDays,
    now: DateTime<Utc>,
) -> Listed {
    let expected = status.expected_by(request.status_changed_at);
    Listed {
        days_in_status: span.between(request.status_changed_at, now),
        days_open: span.between(request.created_at, now),
        overdue: !status.is_final() && expected.is_some_and(|d| deadline::local_date(now) > d),
        expected,
        status,
        request,
    }
}

/// The page `query` selects from requests already read (oldest first), as of `now`: the same
/// selection as [`list`] makes in the database, done in memory.
///
/// # Errors
/// A stored status the code does not know.
pub fn select(
    requests: Vec<RequestSummary>,
    query: ListQuery,
    now: DateTime<Utc>,
) -> anyhow::Result<Page> {
    let first = requests.iter().map(|r| r.created_at).min().unwrap_or(now);
    let span =
        deadline::BusinessDays::covering(deadline::local_date(first), deadline::local_date(now));
    let mut selected = Vec::new();
    for request in requests {
        let Some(status) = RequestStatus::parse(&request.status) else {
            anyhow::bail!("unknown status {}", request.status);
        };
        match query.status {
            Some(wanted) if wanted != status => continue,
            None if status.is_final() => continue,
            _ => {}
        }
        if query
            .channel
            .as_deref()
            .is_some_and(|c| c != request.channel)
        {
            continue;
        }
        let listed = listed(request, status, &span, now);
        if (query.overdue && !listed.overdue)
            || query.older_than.is_some_and(|n| listed.days_open < n)
        {
            continue;
        }
        selected.push(listed);
    }
    // Requests come oldest first; a stable sort keeps that order within a status.
    selected.sort_by_key(|l| l.status);
    let mut per_status = BTreeMap::new();
    for listed in &selected {
        *per_status.entry(listed.status).or_default() += 1;
    }
    let query = bounded(query, selected.len());
    let rows = selected
        .into_iter()
        .skip((query.page - 1) * query.limit)
        .take(query.limit)
        .collect();
    Ok(Page::of(query, rows, per_status))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;
    use crate::service::reports::{Surface, list_text};
    use chrono::TimeZone;

    /// 45 requests submitted a day apart from 1 October 2026, alternating Telegram and
    /// Discord; every third one already active; all others in review since they came.
    fn requests() -> Vec<RequestSummary> {
        (0..45)
            .map(|i| {
                let at = Utc.with_ymd_and_hms(2026, 10, 1, 15, 0, 0).unwrap()
                    + chrono::Duration::days(i);
                let status = if i % 3 == 0 {
                    RequestStatus::Active
                } else {
                    RequestStatus::InReview
                };
                RequestSummary {
                    id: format!("id-{i}"),
                    reference: format!("WA-{:06}", i + 1),
                    status: status.as_str().to_owned(),
                    channel: if i % 2 == 0 { "telegram" } else { "discord" }.to_owned(),
                    store_account: format!("loja{i}"),
                    display_name: format!("Loja {i}"),
                    created_at: at,
                    status_changed_at: at,
                    ticket_id: Some(format!("{}", i + 1)),
                    unreachable: false,
                }
            })
            .collect()
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 16, 15, 0, 0).unwrap()
    }

    #[test]
    fn open_requests_come_a_page_at_a_time_oldest_first() {
        let first = select(requests(), ListQuery::new(None, 20), now()).unwrap();
        assert_eq!((first.total, first.pages, first.rows.len()), (30, 2, 20));
        assert_eq!(first.rows[0].request.reference, "WA-000002");
        let query = ListQuery {
            page: 2,
            ..ListQuery::new(None, 20)
        };
        let second = select(requests(), query, now()).unwrap();
        assert_eq!(second.rows.len(), 10);
        assert_eq!(second.rows[9].request.reference, "WA-000045");
        // A page past the last shows the last.
        let query = ListQuery {
            page: 9,
            ..ListQuery::new(None, 20)
        };
        assert_eq!(select(requests(), query, now()).unwrap().query.page, 2);
    }

    #[test]
    fn filters_by_status_channel_lateness_and_age() {
        let active = select(
            requests(),
            ListQuery::new(Some(RequestStatus::Active), 100),
            now(),
        )
        .unwrap();
        assert_eq!(active.total, 15);
        assert!(
            active.rows.iter().all(|l| !l.overdue),
            "a final status is never late"
        );
        let query = ListQuery {
            channel: Some("discord".into()),
            ..ListQuery::new(None, 100)
        };
        let discord = select(requests(), query, now()).unwrap();
        assert_eq!(discord.total, 15);
        assert!(discord.rows.iter().all(|l| l.request.channel == "discord"));
        // In review is expected to take 2 business days: the requests of the last days are not
        // late yet.
        let query = ListQuery {
            overdue: true,
            ..ListQuery::new(None, 100)
        };
        let late = select(requests(), query, now()).unwrap();
        assert!(late.total < 30 && late.total > 20, "{}", late.total);
        assert!(late.rows.iter().all(|l| l.overdue));
        let query = ListQuery {
            older_than: Some(20),
            ..ListQuery::new(None, 100)
        };
        let old = select(requests(), query, now()).unwrap();
        assert!(old.rows.iter().all(|l| l.days_open >= 20));
        assert!(old.total > 0 && old.total < 30);
    }

    #[test]
    fn the_footer_says_how_to_reach_the_next_page_on_each_surface() {
        let query = ListQuery {
            status: Some(RequestStatus::InReview),
            ..ListQuery::new(None, 20)
        };
        let page = select(requests(), query.clone(), now()).unwrap();
        let footer = |locale, surface| {
            list_text(&page, locale, surface)
                .lines()
                .last()
                .unwrap()
                .to_owned()
        };
        assert_eq!(
            footer(Locale::En, Surface::Cli),
            "Page 1 of 2 (30 requests). Next page: --page 2"
        );
        assert_eq!(
            footer(Locale::PtBr, Surface::Telegram),
            "Página 1 de 2 (30 solicitações). Próxima página: /pending in_review 2"
        );
        assert_eq!(
            footer(Locale::PtBr, Surface::Discord),
            "Página 1 de 2 (30 solicitações). Próxima página: /pendentes situação:in_review página:2"
        );
        let text = list_text(&page, Locale::En, Surface::Slack);
        assert!(text.starts_with("in review (30)"), "{text}");
        let last = select(requests(), ListQuery { page: 2, ..query }, now()).unwrap();
        assert!(
            list_text(&last, Locale::En, Surface::Slack)
                .ends_with("Back to the first: /waba-pending in_review 1")
        );
    }
}
