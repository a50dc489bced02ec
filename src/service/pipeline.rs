//! The pipeline as managers read it: where requests are now, how long they stay in each stage,
//! which stays outlast their expected date, how many requests come each week and through which
//! channel, how long they take to go live, and which open requests are the oldest.
//!
//! Durations are business days on the Brazilian national calendar, counted in
//! America/Sao_Paulo (`domain::deadline`): the days the merchants' expected dates are given in.
//! Percentiles interpolate between the closest ranks (a spreadsheet's `PERCENTILE.INC`), so the
//! numbers match the exported rows recomputed in a spreadsheet.

use crate::domain::{Message, RequestStatus, deadline};
use crate::storage::{Move, RequestSummary, Store, SummaryFilter};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// How many of the oldest open requests the statistics name.
pub const OLDEST_SHOWN: usize = 5;

/// The period statistics cover when none is given: the last 30 days.
pub const DEFAULT_DAYS: i64 = 30;

/// The longest period statistics cover: a year and a day (53 weeks to a chart).
pub const MAX_DAYS: i64 = 366;

/// A period of whole days in São Paulo, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    /// First day.
    pub since: NaiveDate,
    /// Last day.
    pub until: NaiveDate,
}

/// Why a period given on the command line was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    /// Not a `YYYY-MM-DD` date.
    #[error("not a date: {0}")]
    Malformed(String),
    /// After today.
    #[error("in the future: {0}")]
    Future(NaiveDate),
    /// `since` after `until`.
    #[error("empty period: {since} to {until}")]
    Empty {
        /// First day asked.
        since: NaiveDate,
        /// Last day asked.
        until: NaiveDate,
    },
    /// Longer than [`MAX_DAYS`].
    #[error("a period of {0} days")]
    TooLong(i64),
}

impl PeriodError {
    /// What the reader is told.
    pub fn message(&self) -> Message {
        match self {
            PeriodError::Malformed(text) => {
                Message::new("pipeline-date-malformed").text("value", text)
            }
            PeriodError::Future(date) => Message::new("pipeline-date-future").date("date", *date),
            PeriodError::Empty { since, until } => Message::new("pipeline-period-empty")
                .date("since", *since)
                .date("until", *until),
            PeriodError::TooLong(days) => Message::new("pipeline-period-too-long")
                .num("days", *days)
                .num("max", MAX_DAYS),
        }
    }
}

impl Period {
    /// The `days` days up to `today`, today included.
    pub fn last_days(today: NaiveDate, days: i64) -> Period {
        Period {
            since: today - Duration::days(days.max(1) - 1),
            until: today,
        }
    }

    /// A period as typed (`YYYY-MM-DD`): `since` defaults to the [`DEFAULT_DAYS`] days ending
    /// on `until`, `until` to `today` (in São Paulo).
    ///
    /// # Errors
    /// A malformed date, a date after `today`, `since` after `until`, or more than
    /// [`MAX_DAYS`] days.
    pub fn parse(
        since: Option<&str>,
        until: Option<&str>,
        today: NaiveDate,
    ) -> Result<Period, PeriodError> {
        let date = |text: &str| parse_day(text, today);
        let until = until.map(date).transpose()?.unwrap_or(today);
        let since = match since {
            Some(text) => date(text)?,
            None => Period::last_days(until, DEFAULT_DAYS).since,
        };
        if since > until {
            return Err(PeriodError::Empty { since, until });
        }
        let days = (until - since).num_days() + 1;
        if days > MAX_DAYS {
            return Err(PeriodError::TooLong(days));
        }
        Ok(Period { since, until })
    }

    /// Its first instant: midnight in São Paulo on `since`.
    pub fn start(&self) -> DateTime<Utc> {
        midnight(self.since)
    }

    /// Its end: midnight in São Paulo after `until`, or `now` if sooner.
    pub fn end(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        midnight(self.until + Duration::days(1)).min(now)
    }

    /// Whether an instant falls in it.
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        let date = deadline::local_date(at);
        self.since <= date && date <= self.until
    }

    /// Its length in days.
    pub fn days(&self) -> i64 {
        (self.until - self.since).num_days() + 1
    }
}

/// A day as typed (`YYYY-MM-DD`), up to `today`.
///
/// # Errors
/// [`PeriodError::Malformed`] or [`PeriodError::Future`].
pub fn parse_day(text: &str, today: NaiveDate) -> Result<NaiveDate, PeriodError> {
    let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| PeriodError::Malformed(text.to_owned()))?;
    if date > today {
        return Err(PeriodError::Future(date));
    }
    Ok(date)
}

fn midnight(date: NaiveDate) -> DateTime<Utc> {
    deadline::local_midnight(date)
}

/// The Monday of a date's week.
pub fn week_of(date: NaiveDate) -> NaiveDate {
    date.checked_sub_signed(Duration::days(i64::from(
        date.weekday().num_days_from_monday(),
    )))
    .unwrap_or(date)
}

/// The `p`-th percentile (0 to 1) of sorted values, interpolated between the closest ranks
/// (`PERCENTILE.INC`); `None` for no values.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let rank = p.clamp(0.0, 1.0) * last as f64;
    let (low, high) = (rank.floor() as usize, rank.ceil() as usize);
    Some(sorted[low] + (sorted[high] - sorted[low]) * (rank - low as f64))
}

/// One stage of the lifecycle over a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stage {
    /// The status.
    pub status: RequestStatus,
    /// Requests in it now.
    pub now: usize,
    /// Stays in it that ended in the period or were still going at its end (none for the final
    /// statuses, where requests stay for good).
    pub stays: usize,
    /// Median business days of those stays.
    pub median_days: Option<f64>,
    /// 90th percentile of business days of those stays.
    pub p90_days: Option<f64>,
    /// Those stays that went past the stage's expected date.
    pub overdue: usize,
}

/// One week (Monday to Sunday, São Paulo) of the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Week {
    /// Its Monday.
    pub start: NaiveDate,
    /// Requests submitted that week (and in the period), by channel (`telegram`, `discord`,
    /// `slack`, `console`).
    pub submitted: BTreeMap<String, usize>,
    /// Requests that went active that week.
    pub activated: usize,
    /// Their median business days from submitted to active.
    pub median_days_to_active: Option<f64>,
}

/// An open request among the oldest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpenRequest {
    /// `WA-000042`.
    pub reference: String,
    /// Store account.
    pub store_account: String,
    /// Where it stands.
    pub status: RequestStatus,
    /// Business days since it was submitted.
    pub business_days_open: i32,
    /// Past the expected date of its current status.
    pub overdue: bool,
}

/// The pipeline over a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PipelineStats {
    /// The period.
    pub period: Period,
    /// Every status, in lifecycle order.
    pub stages: Vec<Stage>,
    /// Requests submitted in the period.
    pub submitted: usize,
    /// Of those, how many reached each status (every status, in lifecycle order; a request that
    /// went back and forth counts once).
    pub funnel: Vec<(RequestStatus, usize)>,
    /// The weeks of the period, oldest first.
    pub weeks: Vec<Week>,
    /// Requests that went active in the period.
    pub activated: usize,
    /// Their median business days from submitted to active.
    pub median_days_to_active: Option<f64>,
    /// Their 90th percentile.
    pub p90_days_to_active: Option<f64>,
    /// The oldest open requests, at most [`OLDEST_SHOWN`].
    pub oldest_open: Vec<OpenRequest>,
    /// Open requests past the expected date of their status, now.
    pub overdue_now: usize,
    /// Jobs that gave up.
    pub failed_jobs: usize,
}

impl PipelineStats {
    /// Whether nothing happened in the period: no request submitted or activated, and no stay
    /// in an open status ended in it or went on through it.
    pub fn is_quiet(&self) -> bool {
        self.submitted == 0 && self.activated == 0 && self.stages.iter().all(|s| s.stays == 0)
    }
}

/// The statistics of `period`, read from `store` as of `now`.
///
/// # Errors
/// A storage failure, or a stored status the code does not know.
pub async fn stats(
    store: &Store,
    period: Period,
    now: DateTime<Utc>,
) -> anyhow::Result<PipelineStats> {
    // Only the requests the period needs; how many are in each status now, from all.
    let requests = store.summaries_since(period.start()).await?;
    let moves = store.moves_since(period.start()).await?;
    let failed_jobs = store.failed_jobs().await?.len();
    let mut stats = compute(period, now, &requests, &moves, failed_jobs)?;
    let every_status = SummaryFilter {
        statuses: RequestStatus::ALL.to_vec(),
        ..SummaryFilter::default()
    };
    let counts = store.count_summaries(&every_status).await?;
    for stage in &mut stats.stages {
        stage.now = counts
            .iter()
            .find(|(status, _)| status == stage.status.as_str())
            .map_or(0, |(_, n)| usize::try_from(*n).unwrap_or(0));
    }
    Ok(stats)
}

fn parse(status: &str) -> anyhow::Result<RequestStatus> {
    RequestStatus::parse(status).ok_or_else(|| anyhow::anyhow!("unknown status {status}"))
}

fn sorted(mut values: Vec<f64>) -> Vec<f64> {
    values.sort_by(f64::total_cmp);
    values
}

/// The statistics from rows already read: every request, and the moves of those that moved
/// since the period began.
///
/// # Errors
/// A stored status the code does not know.
pub fn compute(
    period: Period,
    now: DateTime<Utc>,
    requests: &[RequestSummary],
    moves: &[Move],
    failed_jobs: usize,
) -> anyhow::Result<PipelineStats> {
    let end = period.end(now);
    let today = deadline::local_date(now);
    let first = requests
        .iter()
        .map(|r| r.created_at)
        .chain(moves.iter().map(|m| m.at))
        .min()
        .unwrap_or(now);
    let span = deadline::BusinessDays::covering(deadline::local_date(first), today);
    let mut by_request: HashMap<&str, Vec<&Move>> = HashMap::new();
    for m in moves {
        by_request.entry(m.request_id.as_str()).or_default().push(m);
    }

    // Stays: from entering a status to the next move (or the period's end).
    let mut stays: BTreeMap<RequestStatus, (Vec<f64>, usize)> = BTreeMap::new();
    let mut stay = |status: RequestStatus, entered: DateTime<Utc>, left: Option<DateTime<Utc>>| {
        if status.is_final() || entered > end {
            return;
        }
        let until = left.map_or(end, |l| l.min(end));
        if until < period.start() {
            return;
        }
        let entry = stays.entry(status).or_default();
        entry.0.push(f64::from(span.between(entered, until)));
        // A stay cut at the period's end (midnight after its last day) is judged on that day.
        let judged_on = if until == end && end < now {
            deadline::local_date(end - Duration::milliseconds(1))
        } else {
            deadline::local_date(until)
        };
        if status.expected_by(entered).is_some_and(|d| judged_on > d) {
            entry.1 += 1;
        }
    };
    let mut now_in: BTreeMap<RequestStatus, usize> = BTreeMap::new();
    let mut funnel: BTreeMap<RequestStatus, usize> = BTreeMap::new();
    let mut weeks: BTreeMap<NaiveDate, Week> = BTreeMap::new();
    let mut week = week_of(period.since);
    while week <= period.until {
        weeks.insert(
            week,
            Week {
                start: week,
                submitted: BTreeMap::new(),
                activated: 0,
                median_days_to_active: None,
            },
        );
        week += Duration::days(7);
    }
    let mut to_active: BTreeMap<NaiveDate, Vec<f64>> = BTreeMap::new();
    let mut submitted = 0;
    let mut open = Vec::new();
    let mut overdue_now = 0;

    for request in requests {
        let status = parse(&request.status)?;
        *now_in.entry(status).or_default() += 1;
        let history = by_request.get(request.id.as_str());
        match history {
            Some(history) => {
                for (i, m) in history.iter().enumerate() {
                    let left = history.get(i + 1).map(|next| next.at);
                    stay(parse(&m.to)?, m.at, left);
                    if m.to == RequestStatus::Active.as_str() && period.contains(m.at) {
                        let days = span.between(request.created_at, m.at);
                        to_active
                            .entry(week_of(deadline::local_date(m.at)))
                            .or_default()
                            .push(f64::from(days));
                    }
                }
            }
            // No move since the period began: it has stayed where it is all along.
            None => stay(status, request.status_changed_at, None),
        }
        if period.contains(request.created_at) {
            submitted += 1;
            let mut reached: BTreeSet<RequestStatus> = BTreeSet::from([status]);
            for m in history.into_iter().flatten() {
                reached.insert(parse(&m.to)?);
            }
            for status in reached {
                *funnel.entry(status).or_default() += 1;
            }
            if let Some(week) = weeks.get_mut(&week_of(deadline::local_date(request.created_at))) {
                *week.submitted.entry(request.channel.clone()).or_default() += 1;
            }
        }
        if !status.is_final() {
            let overdue = status
                .expected_by(request.status_changed_at)
                .is_some_and(|d| today > d);
            overdue_now += usize::from(overdue);
            open.push(OpenRequest {
                reference: request.reference.clone(),
                store_account: request.store_account.clone(),
                status,
                business_days_open: span.between(request.created_at, now),
                overdue,
            });
        }
    }

    let mut all_to_active = Vec::new();
    for (week, days) in to_active {
        all_to_active.extend(days.iter().copied());
        if let Some(entry) = weeks.get_mut(&week) {
            entry.activated = days.len();
            entry.median_days_to_active = percentile(&sorted(days), 0.5);
        }
    }
    let all_to_active = sorted(all_to_active);
    // Requests come oldest first: the first open ones are the oldest.
    open.truncate(OLDEST_SHOWN);
    let stages = RequestStatus::ALL
        .into_iter()
        .map(|status| {
            let (days, overdue) = stays.remove(&status).unwrap_or_default();
            let days = sorted(days);
            Stage {
                status,
                now: now_in.get(&status).copied().unwrap_or(0),
                stays: days.len(),
                median_days: percentile(&days, 0.5),
                p90_days: percentile(&days, 0.9),
                overdue,
            }
        })
        .collect();
    Ok(PipelineStats {
        period,
        stages,
        submitted,
        funnel: RequestStatus::ALL
            .into_iter()
            .map(|s| (s, funnel.get(&s).copied().unwrap_or(0)))
            .collect(),
        weeks: weeks.into_values().collect(),
        activated: all_to_active.len(),
        median_days_to_active: percentile(&all_to_active, 0.5),
        p90_days_to_active: percentile(&all_to_active, 0.9),
        oldest_open: open,
        overdue_now,
        failed_jobs,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use RequestStatus::*;
    use chrono::TimeZone;

    fn day(month: u32, day: u32) -> DateTime<Utc> {
        // Noon in São Paulo.
        Utc.with_ymd_and_hms(2026, month, day, 15, 0, 0).unwrap()
    }

    fn date(month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, month, day).unwrap()
    }

    /// A request and its moves: `(status entered, month, day)`, the first being its creation.
    fn request(
        reference: &str,
        channel: &str,
        moves: &[(RequestStatus, u32, u32)],
    ) -> (RequestSummary, Vec<Move>) {
        let (first, last) = (moves[0], moves[moves.len() - 1]);
        let summary = RequestSummary {
            id: format!("id-{reference}"),
            reference: reference.to_owned(),
            status: last.0.as_str().to_owned(),
            channel: channel.to_owned(),
            store_account: format!("{reference}.example"),
            display_name: reference.to_owned(),
            created_at: day(first.1, first.2),
            status_changed_at: day(last.1, last.2),
            ticket_id: None,
            unreachable: false,
        };
        let moves = moves
            .iter()
            .enumerate()
            .map(|(i, (to, m, d))| Move {
                request_id: summary.id.clone(),
                from: (i > 0).then(|| moves[i - 1].0.as_str().to_owned()),
                to: to.as_str().to_owned(),
                at: day(*m, *d),
            })
            .collect();
        (summary, moves)
    }

    /// Five requests from 1 October to 30 November 2026 (holidays: 12 October, 2 and 20
    /// November), read on Monday 30 November for the period from 3 November.
    pub(crate) fn seeded() -> PipelineStats {
        let all = [
            // Submitted before the period, in review ever since: no move in the period.
            request("D", "discord", &[(Submitted, 10, 1), (InReview, 10, 2)]),
            request(
                "A",
                "console",
                &[
                    (Submitted, 11, 3),
                    (InReview, 11, 4),
                    (AwaitingClientApproval, 11, 5),
                    (ApprovedByClient, 11, 9),
                    (NumberRegistered, 11, 9),
                    (Active, 11, 10),
                ],
            ),
            request(
                "B",
                "telegram",
                &[
                    (Submitted, 11, 4),
                    (InReview, 11, 6),
                    (NeedsInfo, 11, 6),
                    (InReview, 11, 12),
                    (AwaitingClientApproval, 11, 13),
                ],
            ),
            request("C", "telegram", &[(Submitted, 11, 9), (Rejected, 11, 10)]),
            request(
                "E",
                "console",
                &[
                    (Submitted, 11, 24),
                    (InReview, 11, 25),
                    (AwaitingClientApproval, 11, 26),
                    (ApprovedByClient, 11, 27),
                    (NumberRegistered, 11, 27),
                    (Active, 11, 30),
                ],
            ),
        ];
        let requests: Vec<RequestSummary> = all.iter().map(|(r, _)| r.clone()).collect();
        let period = Period {
            since: date(11, 3),
            until: date(11, 30),
        };
        // What the store returns: the moves of the requests that moved in the period.
        let moves: Vec<Move> = all
            .iter()
            .filter(|(_, moves)| moves.iter().any(|m| m.at >= period.start()))
            .flat_map(|(_, moves)| moves.clone())
            .collect();
        compute(period, day(11, 30), &requests, &moves, 0).unwrap()
    }

    fn stage(stats: &PipelineStats, status: RequestStatus) -> &Stage {
        stats.stages.iter().find(|s| s.status == status).unwrap()
    }

    #[test]
    fn percentiles_interpolate_between_ranks_like_a_spreadsheet() {
        assert_eq!(percentile(&[], 0.5), None);
        assert_eq!(percentile(&[7.0], 0.9), Some(7.0));
        assert_eq!(percentile(&[4.0, 5.0], 0.5), Some(4.5));
        let p90 = percentile(&[0.0, 1.0, 1.0, 1.0, 38.0], 0.9).unwrap();
        assert!((p90 - 23.2).abs() < 1e-9, "{p90}");
    }

    #[test]
    fn stays_in_each_stage_count_business_days_and_late_ones() {
        let stats = seeded();
        let submitted = stage(&stats, Submitted);
        // A 1, B 2 (4 → 6 November), C 1, E 1; D's stay ended before the period.
        assert_eq!(
            (submitted.stays, submitted.median_days, submitted.overdue),
            (4, Some(1.0), 1)
        );
        assert!((submitted.p90_days.unwrap() - 1.7).abs() < 1e-9);
        let review = stage(&stats, InReview);
        // A 1, B 0 and 1, E 1, and D still there since 2 October: 38 business days, late.
        assert_eq!(
            (review.stays, review.median_days, review.now),
            (5, Some(1.0), 1)
        );
        assert!((review.p90_days.unwrap() - 23.2).abs() < 1e-9);
        assert_eq!(review.overdue, 1);
        let fixing = stage(&stats, NeedsInfo);
        // Waiting on the merchant has no expected date: never late.
        assert_eq!(
            (fixing.stays, fixing.median_days, fixing.overdue),
            (1, Some(4.0), 0)
        );
        let approval = stage(&stats, AwaitingClientApproval);
        // A 2, E 1, and B waiting since 13 November: 10 business days, past its 3.
        assert_eq!(
            (
                approval.stays,
                approval.median_days,
                approval.overdue,
                approval.now
            ),
            (3, Some(2.0), 1, 1)
        );
        assert!((approval.p90_days.unwrap() - 8.4).abs() < 1e-9);
        let active = stage(&stats, Active);
        assert_eq!((active.now, active.stays, active.median_days), (2, 0, None));
        assert_eq!(stage(&stats, Rejected).now, 1);
    }

    #[test]
    fn the_funnel_counts_each_request_of_the_period_once_per_status_reached() {
        let stats = seeded();
        assert_eq!(stats.submitted, 4);
        let reached: Vec<usize> = stats.funnel.iter().map(|(_, n)| *n).collect();
        assert_eq!(reached, [4, 3, 1, 3, 2, 2, 2, 1, 0, 0]);
    }

    #[test]
    fn weeks_split_arrivals_by_channel_and_time_to_active() {
        let stats = seeded();
        let starts: Vec<NaiveDate> = stats.weeks.iter().map(|w| w.start).collect();
        assert_eq!(
            starts,
            [
                date(11, 2),
                date(11, 9),
                date(11, 16),
                date(11, 23),
                date(11, 30)
            ]
        );
        let first = &stats.weeks[0];
        assert_eq!(
            first.submitted,
            BTreeMap::from([("console".to_owned(), 1), ("telegram".to_owned(), 1)])
        );
        assert_eq!(stats.weeks[2].submitted, BTreeMap::new());
        // A went active on 10 November, 5 business days after 3 November; E on 30 November,
        // 4 business days after the 24th.
        assert_eq!(
            (
                stats.weeks[1].activated,
                stats.weeks[1].median_days_to_active
            ),
            (1, Some(5.0))
        );
        assert_eq!(stats.weeks[4].median_days_to_active, Some(4.0));
        assert_eq!(stats.activated, 2);
        assert_eq!(stats.median_days_to_active, Some(4.5));
        assert!((stats.p90_days_to_active.unwrap() - 4.9).abs() < 1e-9);
    }

    #[test]
    fn the_oldest_open_requests_and_the_late_ones_now() {
        let stats = seeded();
        let oldest: Vec<(&str, RequestStatus, i32, bool)> = stats
            .oldest_open
            .iter()
            .map(|o| {
                (
                    o.reference.as_str(),
                    o.status,
                    o.business_days_open,
                    o.overdue,
                )
            })
            .collect();
        assert_eq!(
            oldest,
            [
                ("D", InReview, 39, true),
                ("B", AwaitingClientApproval, 17, true)
            ]
        );
        assert_eq!(stats.overdue_now, 2);
        assert!(!stats.is_quiet());
    }

    #[test]
    fn a_period_with_nothing_in_it_is_quiet() {
        let period = Period {
            since: date(12, 1),
            until: date(12, 3),
        };
        let (d, _) = request("D", "discord", &[(Submitted, 10, 1), (Rejected, 10, 2)]);
        let stats = compute(period, day(12, 3), &[d], &[], 0).unwrap();
        assert!(stats.is_quiet());
        assert_eq!(stats.stages.len(), 10);
    }

    #[test]
    fn periods_as_typed() {
        let today = date(11, 30);
        assert_eq!(
            Period::parse(None, None, today),
            Ok(Period {
                since: date(11, 1),
                until: today
            })
        );
        assert_eq!(
            Period::parse(Some("2026-11-03"), Some(" 2026-11-10 "), today),
            Ok(Period {
                since: date(11, 3),
                until: date(11, 10)
            })
        );
        assert_eq!(
            Period::parse(Some("03/11/2026"), None, today),
            Err(PeriodError::Malformed("03/11/2026".into()))
        );
        assert_eq!(
            Period::parse(Some("2026-12-01"), None, today),
            Err(PeriodError::Future(date(12, 1)))
        );
        assert_eq!(
            Period::parse(Some("2025-11-29"), None, today),
            Err(PeriodError::TooLong(367))
        );
        assert_eq!(
            Period::parse(Some("-262143-01-01"), None, today),
            Err(PeriodError::TooLong(96_486_080))
        );
        assert!(Period::parse(Some("2025-11-30"), None, today).is_ok());
        assert_eq!(
            Period::parse(Some("2026-11-10"), Some("2026-11-03"), today),
            Err(PeriodError::Empty {
                since: date(11, 10),
                until: date(11, 3)
            })
        );
    }
}
